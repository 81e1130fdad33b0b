"""What the demo's units write in their lists, by kind of unit (LIST-7 needs them to differ).

A township writes about villages, projects and 惠民资金; a department about its
approvals, funds and 窗口; a school about fees, admissions and canteens; a
branch about 三会一课 and the 小微权力 of its village. Each measure is put
together from these banks with the unit's own numbers and names, so two units
of a kind share a vocabulary, as real ones do, without sharing sentences.
"""

from random import Random

from liangze.orgs.models import Org, OrgLevel

TOWNSHIP = "township"
DEPARTMENT = "department"
SCHOOL = "school"
BRANCH = "branch"


def unit_kind(org: Org) -> str:
    if org.level == OrgLevel.SCHOOL:
        return SCHOOL
    if org.level == OrgLevel.BRANCH:
        return BRANCH
    if org.level == OrgLevel.TOWNSHIP:
        return TOWNSHIP
    return DEPARTMENT


# What each kind of unit works on: the subjects its measures are about.
FIELDS = {
    TOWNSHIP: (
        "村级集体“三资”管理",
        "惠民惠农补贴资金发放",
        "农村人居环境整治项目",
        "征地拆迁补偿款管理",
        "低保和特困供养审核",
        "村级工程项目招投标",
        "村（社区）“两委”换届后续监督",
        "高标准农田建设项目",
        "乡村振兴衔接资金使用",
        "安全生产和防汛值守",
    ),
    DEPARTMENT: (
        "行政审批“一网通办”窗口",
        "专项资金分配和使用",
        "政府采购和合同管理",
        "行政执法自由裁量",
        "干部选拔任用和考核",
        "公务接待和公车使用",
        "行业领域突出问题专项整治",
        "局属单位财务管理",
        "招商引资项目监管",
        "“放管服”改革中的权力运行",
    ),
    SCHOOL: (
        "教辅材料征订",
        "招生入学和分班",
        "食堂大宗物资采购",
        "校服征订和课后服务收费",
        "教师职称评聘和评优评先",
        "校舍维修工程",
        "有偿补课和违规收受礼金专项治理",
        "学生资助资金发放",
        "师德师风建设",
        "营养改善计划资金管理",
    ),
    BRANCH: (
        "“三会一课”和主题党日",
        "村务、财务公开",
        "“小微权力”清单运行",
        "低保评议和困难群众帮扶",
        "集体土地发包和资产租赁",
        "党员发展和教育管理",
        "村级项目“四议两公开”",
        "网格化服务管理",
        "红白喜事大操大办治理",
        "党员联系服务群众",
    ),
}

# How the work is done, quarter by quarter; {f} is a subject, {n} a number.
QUARTER_VERBS = (
    (
        "年初对{f}开展廉政风险排查，梳理风险点{n}个，制定防控措施",
        "结合年度工作要点研究{f}，明确分管领导和经办人责任",
        "召开专题会议部署{f}工作，签订责任书{n}份",
        "对{f}建立工作台账，逐项明确完成时限",
    ),
    (
        "对{f}开展半年自查，形成自查报告",
        "组织对{f}进行一次专项检查，发现问题当场反馈",
        "听取分管领导关于{f}的专题汇报，研究解决问题{n}个",
        "围绕{f}开展一次警示教育，通报身边典型案例",
    ),
    (
        "对{f}中发现的问题开展“回头看”，整改情况书面报告",
        "邀请纪检监察干部对{f}进行督查，督促整改到位",
        "对{f}开展抽查，抽查比例不低于{p}%",
        "结合巡察反馈意见，对{f}逐条整改销号",
    ),
    (
        "对{f}全年情况进行总结，纳入年度述责述廉内容",
        "对{f}开展年度考核，考核结果与评先评优挂钩",
        "梳理{f}全年台账，形成长效管理制度{n}项",
        "组织对{f}进行年终检查，查漏补缺",
    ),
)

TASKS = (
    "{what}，重点抓好{f}",
    "把{f}作为履责重点，{what}",
    "{what}；围绕{f}开展监督",
    "{what}，每季度至少研究一次{f}",
)

DEPARTMENTS = {
    TOWNSHIP: ("党政办", "组织办", "纪委", "宣传办", "经济发展办", "社会事务办", "财政所"),
    DEPARTMENT: ("办公室", "人事科", "机关党委", "财务科", "法规科", "审批科"),
    SCHOOL: ("校长室", "党政办公室", "教务处", "总务处", "德育处"),
    BRANCH: ("支委会", "村务监督委员会", "党小组", ""),
}


class Writer:
    """One unit's way of writing: its own subjects, in its own order."""

    def __init__(self, rng: Random, org: Org) -> None:
        self.rng = rng
        self.kind = unit_kind(org)
        fields = list(FIELDS[self.kind])
        rng.shuffle(fields)
        self.fields = fields

    def row(self, n: int, entry: str, name: str, responsible: str) -> dict[str, str]:
        rng = self.rng
        field = self.fields[n % len(self.fields)]
        return {
            "entry": entry,
            "name": name,
            "task": rng.choice(TASKS).format(what=name, f=field),
            "responsible": responsible,
            "department": rng.choice(DEPARTMENTS[self.kind]),
            **{f"q{q + 1}": self.measure(q, field) for q in range(4)},
        }

    def measure(self, quarter: int, field: str) -> str:
        rng = self.rng
        text = rng.choice(QUARTER_VERBS[quarter])
        return text.format(f=field, n=rng.randint(2, 12), p=rng.choice((10, 15, 20, 30))) + "。"
