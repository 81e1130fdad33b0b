"""Demo organizations, people and positions: a county, a city of counties, or a province.

One `random.Random` (in the Builder) drives everything, so a seed fixes every
name, date and UUID. A province comes out one county at a time (`generate`
yields a Batch per county) instead of 5.6 million people at once.
"""

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from random import Random

from liangze.demo.orgs.names import (
    DEMO_CITY_STEM,
    DEMO_COUNTY_STEM,
    PROVINCE_STEM,
    STREET_STEMS,
    TOWN_STEMS,
)
from liangze.demo.orgs.rows import (
    FIRST_DAY,
    Batch,
    Builder,
    OrgRow,
    Personas,
    PersonRow,
)
from liangze.orgs.models import DisciplineBody, OrgKind, OrgLevel, PositionKind, Rank

BodyKind = DisciplineBody.Kind

SCALES = ("county", "city", "province")

# Someone with a past post started the current one late enough for the past to fit.
HISTORY_FROM = date(2021, 1, 1)

# The province is sized like Jiangsu: 13 cities, 95 counties, 1,240 townships.
PROVINCE_CITIES = 13
PROVINCE_COUNTIES = 95
PROVINCE_TOWNSHIPS = 1240
CITY_COUNTIES = 8


# Sizes ----------------------------------------------------------------------


@dataclass(frozen=True)
class Profile:
    """How big one county is. The demo shows a sample of people; the province every member."""

    townships: tuple[int, int]
    villages: tuple[int, int]
    village_branches: tuple[int, int]  # above one, the village has a 党总支 over its branches
    communities: tuple[int, int]
    street_communities: tuple[int, int]
    companies: tuple[int, int]
    office_branches: int
    township_staff: tuple[int, int]
    dept_branches: tuple[int, int]
    dept_staff: tuple[int, int]
    schools: int
    school_staff: tuple[int, int]
    branch_people: tuple[int, int]
    commission_staff: int
    dispatched: tuple[int, int]
    dispatched_span: tuple[int, int]
    discipline_member_share: float = 0.6
    history_share: float = 0.2


DEMO_PROFILE = Profile(
    townships=(19, 21),
    villages=(6, 10),
    village_branches=(1, 1),
    communities=(1, 2),
    street_communities=(5, 8),
    companies=(0, 1),
    office_branches=1,
    township_staff=(16, 26),
    dept_branches=(1, 3),
    dept_staff=(12, 22),
    schools=15,
    school_staff=(14, 30),
    branch_people=(3, 7),
    commission_staff=10,
    dispatched=(4, 6),
    dispatched_span=(5, 10),
)

PROVINCE_PROFILE = Profile(
    townships=(13, 13),  # the province plan spreads exactly 1,240 over the counties
    villages=(14, 24),
    village_branches=(1, 4),
    communities=(2, 5),
    street_communities=(10, 18),
    companies=(90, 175),
    office_branches=2,
    township_staff=(30, 50),
    dept_branches=(3, 12),
    dept_staff=(25, 70),
    schools=40,
    school_staff=(40, 120),
    branch_people=(13, 32),
    commission_staff=14,
    dispatched=(5, 7),
    dispatched_span=(5, 8),
)


# Units ----------------------------------------------------------------------


@dataclass(frozen=True)
class Area:
    """A province, city or county: the prefix of its unit names and its title character."""

    name: str  # 青岚县
    char: str  # 县, as in 县委书记


@dataclass(frozen=True)
class DeptSpec:
    unit: str  # "{A}教育局", with {A} the area's name
    party: str  # the Party body's name after the unit
    kind: str
    head: str = ""  # the administrative post the principal also holds
    sections: tuple[str, ...] = ()
    schools: bool = False


_POLICE_SECTIONS = ("指挥中心", "治安管理大队", "刑事侦查大队", "交通警察大队", "城关派出所")
_GENERIC_SECTIONS = ("办公室", "人事科", "财务科", "政策法规科")

_PG = OrgKind.PARTY_GROUP
_GB = OrgKind.GENERAL_BRANCH
_WC = OrgKind.WORK_COMMITTEE
DEPARTMENTS: tuple[DeptSpec, ...] = (
    DeptSpec("{A}委办公室", "机关党总支", _GB, sections=("秘书科", "综合科", "督查室", "机要科")),
    DeptSpec(
        "{A}委组织部", "机关党总支", _GB, sections=("组织科", "干部科", "干部监督科", "人才办")
    ),
    DeptSpec("{A}委宣传部", "机关党总支", _GB, sections=("宣传科", "文明办", "新闻科", "网信办")),
    DeptSpec("{A}委统战部", "机关党总支", _GB, sections=("党派科", "民族宗教科", "经济科")),
    DeptSpec("{A}委政法委员会", "机关党总支", _GB, sections=("综治科", "维稳科", "执法监督科")),
    DeptSpec("{A}委巡察工作领导小组办公室", "机关党总支", _GB, sections=("巡察一组", "巡察二组")),
    DeptSpec("{A}人大常委会", "党组", _PG, "主任", ("研究室", "法制工作室", "代表工作室")),
    DeptSpec("{A}政协", "党组", _PG, "主席", ("提案委", "文史委", "经济委")),
    DeptSpec("{A}人民政府办公室", "党组", _PG, "主任", ("秘书科", "政务公开科", "督查室")),
    DeptSpec("{A}发展和改革委员会", "党组", _PG, "主任", ("规划科", "投资科", "价格科")),
    DeptSpec(
        "{A}教育局",
        "党组",
        _PG,
        "局长",
        ("基础教育科", "职业与社会教育科", "教师发展科", "学校安全科", "督导室"),
        schools=True,
    ),
    DeptSpec("{A}工业和信息化局", "党组", _PG, "局长", ("工业发展科", "信息化科", "节能科")),
    DeptSpec("{A}公安局", "党委", OrgKind.PARTY_COMMITTEE, "局长", _POLICE_SECTIONS),
    DeptSpec("{A}民政局", "党组", _PG, "局长", ("社会救助科", "养老服务科", "区划地名科")),
    DeptSpec("{A}司法局", "党组", _PG, "局长", ("普法与依法治理科", "法律服务科", "社区矫正科")),
    DeptSpec("{A}财政局", "党组", _PG, "局长", ("预算科", "国库科", "综合科", "会计科")),
    DeptSpec("{A}人力资源和社会保障局", "党组", _PG, "局长", ("就业促进科", "劳动关系科")),
    DeptSpec("{A}自然资源和规划局", "党组", _PG, "局长", ("国土空间规划科", "耕地保护科")),
    DeptSpec("{A}生态环境局", "党组", _PG, "局长", ("环境监测站", "执法大队", "污染防治科")),
    DeptSpec("{A}住房和城乡建设局", "党组", _PG, "局长", ("建筑业管理科", "村镇建设科")),
    DeptSpec("{A}交通运输局", "党组", _PG, "局长", ("综合规划科", "建设管理科", "公路管理站")),
    DeptSpec("{A}水利局", "党组", _PG, "局长", ("水资源科", "河湖管理科", "防汛抗旱办")),
    DeptSpec("{A}农业农村局", "党组", _PG, "局长", ("乡村发展科", "种植业管理科", "农村经济科")),
    DeptSpec("{A}商务局", "党组", _PG, "局长", ("外贸科", "市场运行科", "招商服务科")),
    DeptSpec("{A}文化广电和旅游局", "党组", _PG, "局长", ("文化科", "旅游发展科", "文物科")),
    DeptSpec("{A}卫生健康委员会", "党组", _PG, "主任", ("医政医管科", "基层卫生科", "疾控科")),
    DeptSpec("{A}退役军人事务局", "党组", _PG, "局长", ("优抚科", "安置科")),
    DeptSpec("{A}应急管理局", "党组", _PG, "局长", ("安全生产综合科", "防灾减灾科")),
    DeptSpec("{A}审计局", "党组", _PG, "局长", ("财政审计科", "经济责任审计科")),
    DeptSpec("{A}市场监督管理局", "党组", _PG, "局长", ("登记注册科", "食品安全科", "特种设备科")),
    DeptSpec("{A}统计局", "党组", _PG, "局长", ("综合统计科", "普查中心")),
    DeptSpec("{A}医疗保障局", "党组", _PG, "局长", ("待遇保障科", "基金监管科")),
    DeptSpec("{A}信访局", "党组", _PG, "局长", ("来访接待科", "督查督办科")),
    DeptSpec("{A}城市管理局", "党组", _PG, "局长", ("市容环卫科", "执法大队")),
    DeptSpec("{A}行政审批局", "党组", _PG, "局长", ("投资建设审批科", "社会事务审批科")),
    DeptSpec("{A}数据局", "党组", _PG, "局长", ("数据资源科", "数字政府科")),
    DeptSpec("{A}供销合作总社", "党组", _PG, "主任", ("业务科", "资产管理科")),
    DeptSpec("{A}总工会", "党组", _PG, "主席", ("组织部", "权益保障部")),
    DeptSpec("{A}妇女联合会", "党组", _PG, "主席", ("组织联络部", "家庭和儿童工作部")),
    DeptSpec("{A}人民法院", "党组", _PG, "院长", ("立案庭", "刑事审判庭", "民事审判庭", "执行局")),
    DeptSpec("{A}人民检察院", "党组", _PG, "检察长", ("第一检察部", "第二检察部", "综合业务部")),
    DeptSpec("{A}直机关工作委员会", "", _WC, sections=("组织科", "宣传科")),
)

# Units with no Party committee of their own (004 "未设党委（党组）的学校、单位参照执行"):
# their Party members sit in a branch elsewhere; the head and deputies still answer for lists.
UNITS_WITHOUT_COMMITTEE: tuple[tuple[str, str], ...] = (
    ("{A}档案馆", "馆长"),
    ("{A}地方志办公室", "主任"),
    ("{A}公共资源交易中心", "主任"),
)

# Party-body words by kind: (principal's title, deputy's title, member's title).
_PARTY_TITLES: dict[str, tuple[str, str, str]] = {
    OrgKind.PARTY_COMMITTEE: ("党委书记", "党委副书记", "党委委员"),
    OrgKind.PARTY_GROUP: ("党组书记", "党组副书记", "党组成员"),
    OrgKind.WORK_COMMITTEE: ("党工委书记", "党工委副书记", "党工委委员"),
    OrgKind.GENERAL_BRANCH: ("党总支书记", "党总支副书记", "党总支委员"),
}

# Leadership of a province, city or county; {c} is 省/市/县/区. The third is the
# discipline secretary, so every leadership of four or more has one.
_AREA_MEMBERS = (
    "{c}委副书记、{c}长",
    "{c}委副书记",
    "{c}委常委、{c}纪委书记、{c}监委主任",
    "{c}委常委、组织部部长",
    "{c}委常委、宣传部部长",
    "{c}委常委、政法委书记",
    "{c}委常委、常务副{c}长",
    "{c}委常委、统战部部长",
)
_TOWN_MEMBERS = (
    "党委副书记、{c}长",
    "党委副书记",
    "党委委员、纪委书记",
    "党委委员、组织委员",
    "党委委员、宣传委员",
    "党委委员、副{c}长",
    "党委委员、武装部部长",
    "党委委员、政法委员",
)
_STREET_MEMBERS = (
    "党工委副书记、办事处主任",
    "党工委副书记",
    "党工委委员、纪工委书记",
    "党工委委员、组织委员",
    "党工委委员、宣传委员",
    "党工委委员、办事处副主任",
    "党工委委员、武装部部长",
    "党工委委员、政法委员",
)
_DISCIPLINE_MEMBER_INDEX = 2

# Portfolios that follow from the title; anyone else gets a few areas from _AREAS.
_TITLE_PORTFOLIOS = (
    ("纪", "纪检监察、党风廉政建设"),
    ("组织", "党建、组织、人才"),
    ("宣传", "宣传、意识形态、精神文明建设"),
    ("政法", "政法、综治、信访维稳"),
    ("统战", "统战、民族宗教"),
    ("武装", "人民武装、征兵、应急管理"),
    ("常务", "财政、发展改革、审计"),
)
_AREAS = (
    "党建", "经济发展", "招商引资", "财政", "农业农村", "乡村振兴", "水利", "城乡建设", "交通",
    "生态环境", "安全生产", "教育", "卫生健康", "民政", "社会保障", "文化旅游", "自然资源",
    "市场监管", "信访", "营商环境",
)  # fmt: skip

_TOWNSHIP_SECTIONS = (
    "党政办公室", "党建工作办公室", "经济发展办公室", "社会事业办公室", "综合治理办公室",
    "财政所", "农业农村服务中心", "便民服务中心", "综合行政执法局",
)  # fmt: skip
_SCHOOL_SECTIONS = ("语文教研组", "数学教研组", "英语教研组", "德育处", "教务处", "总务处")
_BIG_SCHOOLS = ("{A}第一中学", "{A}第二中学", "{A}实验中学", "{A}职业教育中心")
_SMALL_SCHOOLS = (
    "{A}实验小学", "{A}第二实验小学", "{A}实验初级中学", "{A}实验幼儿园", "{A}特殊教育学校",
)  # fmt: skip
_TOWNSHIP_SCHOOLS = ("{t}中心小学", "{t}初级中学", "{t}中心幼儿园")

_STAFF_RANKS = (Rank.SECTION, Rank.UNIT, Rank.UNIT, Rank.CLERK, Rank.CLERK, Rank.CLERK)
_NUMERALS = "一二三四五六七八九十"


def numeral(n: int) -> str:
    """一 … 九十九, as in 第十二党支部."""
    tens, ones = divmod(n, 10)
    if tens == 0:
        return _NUMERALS[ones - 1]
    head = "" if tens == 1 else _NUMERALS[tens - 1]
    return head + "十" + (_NUMERALS[ones - 1] if ones else "")


def spread(total: int, parts: int, rng: Random) -> list[int]:
    """`total` split into `parts` near-equal counts, the remainder going to random parts."""
    base, extra = divmod(total, parts)
    lucky = set(rng.sample(range(parts), extra))
    return [base + (i in lucky) for i in range(parts)]


# Leadership -------------------------------------------------------------------


def _portfolio(b: Builder, title: str, areas: Sequence[str]) -> str:
    for word, text in _TITLE_PORTFOLIOS:
        if word in title:
            return f"分管{text}工作"
    picked = b.rng.sample(list(areas), min(len(areas), b.rng.randint(2, 3)))
    return f"分管{'、'.join(picked)}工作"


def _leadership(
    b: Builder,
    p: Profile,
    org: OrgRow,
    titles: Sequence[str],
    *,
    rank: str,
    areas: Sequence[str] = _AREAS,
    children: Sequence[OrgRow] = (),
    history: Sequence[OrgRow] = (),
) -> list[PersonRow]:
    """A principal (titles[0]) and 班子成员 (the rest), each a new person at `org`.

    班子成员 get a portfolio — its description and, most of them, up to three units
    among `children` they are in charge of (分管) — and one to three 联系单位 among the
    other children; some leaders held a post at one of `history` (sibling units) before.
    """
    rng = b.rng
    leaders: list[PersonRow] = []
    for i, title in enumerate(titles):
        person = b.person(org, female=0.25, party=1, rank=rank)
        leaders.append(person)
        start = b.day()
        if history and rng.random() < p.history_share:
            start = b.day(HISTORY_FROM)
            before = rng.choice(history)
            b.position(
                person,
                before,
                PositionKind.MEMBER,
                _PARTY_TITLES[before.kind][2],
                start=b.day(FIRST_DAY, start - timedelta(days=180)),
                end=start - timedelta(days=1),
                portfolio=_portfolio(b, "", areas),
            )
        if i == 0:
            b.position(
                person, org, PositionKind.PRINCIPAL, title, start=start, portfolio="主持全面工作"
            )
            continue
        units = list(children)
        in_charge = rng.sample(units, min(len(units), rng.randint(0, 3)))
        others = [o for o in units if o not in in_charge] or units
        liaison = rng.sample(others, min(len(others), rng.randint(1, 3)))
        b.position(
            person,
            org,
            PositionKind.MEMBER,
            title,
            start=start,
            portfolio=_portfolio(b, title, areas),
            portfolio_units=in_charge,
            liaison=liaison,
        )
    return leaders


def _party_titles(kind: str, count: int, head: str = "") -> list[str]:
    """A principal and `count` members of a unit's Party body: 党组书记、局长, 党组成员、副局长 …"""
    principal, deputy, member = _PARTY_TITLES[kind]
    if head:
        return [f"{principal}、{head}"] + [f"{member}、副{head}"] * count
    return [principal, deputy] + [member] * (count - 1)


def _branch(
    b: Builder,
    p: Profile,
    parent: OrgRow,
    name: str,
    *,
    pool: list[PersonRow] | None = None,
) -> OrgRow:
    """A 党支部 with its officers: from the unit's staff (`pool`) while it lasts, else its own."""
    org = b.org(parent, name, OrgKind.BRANCH, OrgLevel.BRANCH)
    if pool:
        officers = [pool.pop(b.rng.randrange(len(pool))) for _ in range(min(2, len(pool)))]
    else:
        officers = [b.person(org, female=0.3, party=1) for _ in range(b.between(p.branch_people))]
    _branch_officers(b, p, org, officers)
    return org


def _branch_officers(b: Builder, p: Profile, org: OrgRow, people: Sequence[PersonRow]) -> None:
    """The 支部书记 and, often, a 纪检委员 (a discipline body of one, supervising the branch)."""
    b.position(people[0], org, PositionKind.BRANCH_SECRETARY, "党支部书记", start=b.day())
    if len(people) > 1 and b.rng.random() < p.discipline_member_share:
        body = b.body(org, f"{org.name}纪检委员", BodyKind.MEMBER, [org])
        b.position(
            people[1], org, PositionKind.DISCIPLINE_MEMBER, "纪检委员", start=b.day(), body=body
        )


def _staff(
    b: Builder,
    org: OrgRow,
    count: int,
    sections: Sequence[str],
    *,
    party: float = 0.8,
    female: float = 0.45,
    ranks: Sequence[str] = _STAFF_RANKS,
) -> list[PersonRow]:
    rng = b.rng
    return [
        b.person(
            org,
            female=female,
            party=party,
            rank=rng.choice(ranks),
            department=rng.choice(sections),
        )
        for _ in range(count)
    ]


# Townships ------------------------------------------------------------------


@dataclass
class Township:
    org: OrgRow
    secretary: PersonRow
    member: PersonRow
    clerk: PersonRow


def _township(
    b: Builder, p: Profile, county: OrgRow, stem: str, style: str, siblings: Sequence[OrgRow]
) -> Township:
    """A 镇 or 乡 (党委) or 街道 (党工委): staff, branches, leadership and its 纪委."""
    street = style == "街道"
    if street:
        org = b.org(county, f"{stem}街道党工委", OrgKind.WORK_COMMITTEE, OrgLevel.TOWNSHIP)
    else:
        org = b.org(county, f"{stem}{style}党委", OrgKind.PARTY_COMMITTEE, OrgLevel.TOWNSHIP)
    staff = _staff(b, org, b.between(p.township_staff), _TOWNSHIP_SECTIONS)
    # The office clerk (联络员) who fills the ledgers: always there for the demo login.
    clerk = staff[0]
    clerk.rank, clerk.department = Rank.CLERK, _TOWNSHIP_SECTIONS[0]

    pool = staff[1:]
    children: list[OrgRow] = []
    for n in range(1, p.office_branches + 1):
        suffix = "机关党支部" if p.office_branches == 1 else f"机关第{numeral(n)}党支部"
        children.append(_branch(b, p, org, f"{stem}{style}{suffix}", pool=pool))
    taken: set[str] = set()
    if not street:
        for _ in range(b.between(p.villages)):
            village = b.places.village(taken) + "村"
            branches = b.between(p.village_branches)
            if branches == 1:
                children.append(_branch(b, p, org, f"{village}党支部"))
                continue
            general = b.org(org, f"{village}党总支", OrgKind.GENERAL_BRANCH, OrgLevel.BRANCH)
            children.append(general)
            _leadership(b, p, general, _party_titles(OrgKind.GENERAL_BRANCH, 2), rank=Rank.NONE)
            for n in range(1, branches + 1):
                _branch(b, p, general, f"{village}第{numeral(n)}党支部")
    communities = p.street_communities if street else p.communities
    for _ in range(b.between(communities)):
        children.append(_branch(b, p, org, f"{b.places.community(taken)}社区党支部"))
    for _ in range(b.between(p.companies)):
        children.append(_branch(b, p, org, f"{b.places.company(taken)}有限公司党支部"))

    members = _STREET_MEMBERS if street else _TOWN_MEMBERS
    count = b.between((4, 8))
    titles = [_PARTY_TITLES[org.kind][0]] + [t.format(c=style) for t in members[:count]]
    leaders = _leadership(b, p, org, titles, rank=Rank.SECTION, children=children, history=siblings)
    discipline = leaders[1 + _DISCIPLINE_MEMBER_INDEX]
    kind, word = (BodyKind.WORK_COMMITTEE, "纪工委") if street else (BodyKind.COMMISSION, "纪委")
    body = b.body(org, f"{stem}{style}{word}", kind, [org])
    b.position(
        discipline,
        org,
        PositionKind.DISCIPLINE_SECRETARY,
        f"{word}书记",
        start=b.day(),
        body=body,
    )
    for title in (f"{word}副书记", "纪检干事")[: b.between((1, 2))]:
        officer = b.person(org, female=0.4, party=1, rank=Rank.UNIT, department=word)
        b.position(officer, org, PositionKind.DISCIPLINE_STAFF, title, start=b.day(), body=body)
    return Township(org=org, secretary=leaders[0], member=leaders[1], clerk=clerk)


# Departments and schools ----------------------------------------------------


def _department(
    b: Builder,
    p: Profile,
    parent: OrgRow,
    area: Area,
    spec: DeptSpec,
    siblings: Sequence[OrgRow],
    *,
    rank: str,
) -> OrgRow:
    unit = spec.unit.format(A=area.name)
    org = b.org(parent, unit + spec.party, spec.kind, OrgLevel.DEPARTMENT)
    sections = spec.sections + _GENERIC_SECTIONS
    pool = _staff(b, org, b.between(p.dept_staff), sections)
    count = b.between(p.dept_branches)
    children = [
        _branch(b, p, org, f"{unit}机关{f'第{numeral(n)}' if count > 1 else ''}党支部", pool=pool)
        for n in range(1, count + 1)
    ]
    members = b.between((2, 4) if spec.kind == OrgKind.GENERAL_BRANCH else (4, 8))
    _leadership(
        b,
        p,
        org,
        _party_titles(spec.kind, members, spec.head),
        rank=rank,
        areas=spec.sections or _AREAS,
        children=children,
        history=siblings,
    )
    return org


def _unit_without_committee(
    b: Builder, p: Profile, county: OrgRow, area: Area, name: str, head: str
) -> None:
    org = b.org(county, name.format(A=area.name), OrgKind.GOVERNMENT, OrgLevel.DEPARTMENT)
    _staff(b, org, b.between((6, 10)), _GENERIC_SECTIONS)
    titles = [head] + [f"副{head}"] * b.between((1, 2))
    _leadership(b, p, org, titles, rank=Rank.SECTION)


def _schools(b: Builder, p: Profile, education: OrgRow, area: Area, towns: Sequence[str]) -> None:
    """Schools under the education bureau: big ones a 党总支 over branches, the rest a 党支部."""
    names = [t.format(A=area.name) for t in _BIG_SCHOOLS + _SMALL_SCHOOLS]
    names += [t.format(t=town) for town in towns for t in _TOWNSHIP_SCHOOLS]
    for i, name in enumerate(names[: p.schools]):
        count = b.between(p.school_staff)
        if i >= len(_BIG_SCHOOLS):
            org = b.org(education, f"{name}党支部", OrgKind.BRANCH, OrgLevel.SCHOOL)
            teachers = _staff(
                b, org, count, _SCHOOL_SECTIONS, party=0.6, female=0.6, ranks=(Rank.NONE,)
            )
            _branch_officers(b, p, org, teachers)
            continue
        org = b.org(education, f"{name}党总支", OrgKind.GENERAL_BRANCH, OrgLevel.SCHOOL)
        pool = _staff(b, org, count, _SCHOOL_SECTIONS, party=0.6, female=0.6, ranks=(Rank.NONE,))
        branches = ("教师第一党支部", "教师第二党支部", "离退休教师党支部")[: b.between((2, 3))]
        children = [_branch(b, p, org, name + branch, pool=pool) for branch in branches]
        titles = ("党总支书记", "党总支副书记、校长", "党总支委员、副校长", "党总支委员")
        _leadership(b, p, org, titles[: b.between((3, 4))], rank=Rank.NONE, children=children)


# Discipline bodies ----------------------------------------------------------

_COMMISSION_TITLES = (
    "纪委副书记、监委副主任",
    "纪委副书记、监委副主任",
    "纪委常委、监委委员",
    "党风政风监督室主任",
    "第一纪检监察室主任",
    "第二纪检监察室主任",
    "案件审理室主任",
    "信访室主任",
    "干部监督室主任",
    "案件监督管理室主任",
    "第三纪检监察室主任",
    "宣传部部长",
)


def _commission(
    b: Builder,
    p: Profile,
    org: OrgRow,
    area: Area,
    secretary: PersonRow,
    departments: Sequence[OrgRow],
) -> tuple[PersonRow, PersonRow]:
    """The 纪委监委 over the whole area and its 派驻纪检监察组 over the departments.

    Returns (one commission officer, the first dispatched group's leader).
    """
    body = b.body(org, f"{area.name}纪委监委", BodyKind.COMMISSION, [org])
    b.position(
        secretary,
        org,
        PositionKind.DISCIPLINE_SECRETARY,
        "纪委书记、监委主任",
        start=b.day(),
        body=body,
    )
    officers = []
    for i in range(p.commission_staff):
        title = _COMMISSION_TITLES[i] if i < len(_COMMISSION_TITLES) else "纪检监察干部"
        rank = Rank.SECTION if i < len(_COMMISSION_TITLES) else Rank.UNIT
        officer = b.person(org, female=0.35, party=1, rank=rank, department="纪委监委机关")
        b.position(officer, org, PositionKind.DISCIPLINE_STAFF, title, start=b.day(), body=body)
        officers.append(officer)

    left = list(departments)
    b.rng.shuffle(left)
    leaders = []
    for n in range(1, b.between(p.dispatched) + 1):
        if not left:
            break
        span = b.between(p.dispatched_span)
        supervised, left = left[:span], left[span:]
        group = f"派驻第{numeral(n)}纪检监察组"
        body = b.body(org, f"{area.name}纪委监委{group}", BodyKind.DISPATCHED, supervised)
        titles = ("组长", "副组长", "纪检监察干部", "纪检监察干部")[: 1 + b.between((2, 3))]
        for i, title in enumerate(titles):
            rank = Rank.SECTION if i < 2 else Rank.UNIT
            person = b.person(org, female=0.35, party=1, rank=rank, department=group)
            kind = PositionKind.DISCIPLINE_SECRETARY if i == 0 else PositionKind.DISCIPLINE_STAFF
            b.position(person, org, kind, title, start=b.day(), body=body)
            if i == 0:
                leaders.append(person)
    return officers[0], leaders[0]


# Areas ----------------------------------------------------------------------


def _area_titles(b: Builder, area: Area, members: tuple[int, int]) -> list[str]:
    count = b.between(members)
    return [f"{area.char}委书记"] + [t.format(c=area.char) for t in _AREA_MEMBERS[:count]]


def _county(
    b: Builder,
    p: Profile,
    county: OrgRow,
    area: Area,
    townships: int,
    siblings: Sequence[OrgRow],
) -> Personas:
    """A county's townships, departments, schools, leadership and discipline bodies."""
    streets = round(townships * 0.2)
    rural = round(townships * 0.2)
    styles = ["镇"] * (townships - streets - rural) + ["乡"] * rural + ["街道"] * streets
    taken = {"城关"}
    towns: list[Township] = []
    for style in styles:
        stems = STREET_STEMS if style == "街道" else TOWN_STEMS
        stem = b.places.pick(stems, taken) if towns else "城关"
        towns.append(_township(b, p, county, stem, style, [t.org for t in towns]))

    departments: list[OrgRow] = []
    for spec in DEPARTMENTS:
        department = _department(b, p, county, area, spec, departments, rank=Rank.SECTION)
        departments.append(department)
        if spec.schools:
            rural_towns = [t.org.name.removesuffix("党委") for t in towns if t.org.kind != _WC]
            _schools(b, p, department, area, rural_towns)

    leaders = _leadership(
        b,
        p,
        county,
        _area_titles(b, area, (4, 8)),
        rank=Rank.COUNTY,
        children=[t.org for t in towns] + departments,
        history=siblings,
    )
    officer, dispatched = _commission(
        b, p, county, area, leaders[1 + _DISCIPLINE_MEMBER_INDEX], departments
    )
    # Last, so the seed's draws for everything above stay what they were.
    for name, head in UNITS_WITHOUT_COMMITTEE:
        _unit_without_committee(b, p, county, area, name, head)
    town = towns[0]
    return Personas(
        county=county,
        township=town.org,
        county_secretary=leaders[0],
        town_secretary=town.secretary,
        town_member=town.member,
        discipline_secretary=leaders[1 + _DISCIPLINE_MEMBER_INDEX],
        discipline_staff=officer,
        dispatched_leader=dispatched,
        clerk=town.clerk,
    )


def _upper(
    b: Builder,
    p: Profile,
    org: OrgRow,
    area: Area,
    below: Sequence[OrgRow],
    siblings: Sequence[OrgRow],
) -> None:
    """A city's or the province's own departments, leadership and discipline bodies."""
    departments: list[OrgRow] = []
    for spec in DEPARTMENTS:
        departments.append(_department(b, p, org, area, spec, departments, rank=Rank.COUNTY))
    leaders = _leadership(
        b,
        p,
        org,
        _area_titles(b, area, (6, 8)),
        rank=Rank.COUNTY,
        children=[*below, *departments],
        history=siblings,
    )
    _commission(b, p, org, area, leaders[1 + _DISCIPLINE_MEMBER_INDEX], departments)


def _county_areas(b: Builder, count: int) -> list[Area]:
    """Counties, districts (区) and county-level cities; the first is always the demo county."""
    areas = []
    for _ in range(count):
        if not b.places_taken:
            stem, char = DEMO_COUNTY_STEM, "县"
            b.places_taken.add(stem)
        else:
            stem = b.places.place(b.places_taken)
            char = b.rng.choices(("县", "区", "市"), weights=(50, 35, 15))[0]
        areas.append(Area(stem + char, char))
    return areas


def _city(
    b: Builder,
    p: Profile,
    city: OrgRow,
    area: Area,
    townships: Sequence[int],
    siblings: Sequence[OrgRow],
) -> Iterator[None]:
    """A city: its own part first, then one county at a time (yielding after each)."""
    areas = _county_areas(b, len(townships))
    counties = [b.org(city, f"{a.name}委", OrgKind.PARTY_COMMITTEE, OrgLevel.COUNTY) for a in areas]
    _upper(b, p, city, area, counties, siblings)
    yield
    for i, (county, county_area, count) in enumerate(zip(counties, areas, townships, strict=True)):
        personas = _county(b, p, county, county_area, count, counties[:i])
        if b.personas is None:
            b.personas = personas
        yield


def generate(b: Builder, scale: str, *, fraction: float = 1.0) -> Iterator[Batch]:
    """The batches of one scale; `b.personas` is set once the first county is out.

    `fraction` (province only) keeps that share of the counties, for a quicker run.
    """
    if scale == "county":
        area = Area(f"{DEMO_COUNTY_STEM}县", "县")
        b.places_taken.add(DEMO_COUNTY_STEM)
        county = b.org(None, f"{area.name}委", OrgKind.PARTY_COMMITTEE, OrgLevel.COUNTY)
        b.personas = _county(b, DEMO_PROFILE, county, area, b.between(DEMO_PROFILE.townships), ())
        yield b.take()
    elif scale == "city":
        area = Area(f"{DEMO_CITY_STEM}市", "市")
        city = b.org(None, f"{area.name}委", OrgKind.PARTY_COMMITTEE, OrgLevel.CITY)
        townships = [b.between(DEMO_PROFILE.townships) for _ in range(CITY_COUNTIES)]
        for _ in _city(b, DEMO_PROFILE, city, area, townships, ()):
            pass
        yield b.take()
    elif scale == "province":
        yield from _province(b, fraction)
    else:
        raise ValueError(f"unknown scale {scale!r}")


def _province(b: Builder, fraction: float) -> Iterator[Batch]:
    p = PROVINCE_PROFILE
    counties = max(1, round(PROVINCE_COUNTIES * fraction))
    cities = min(PROVINCE_CITIES, counties)
    townships = spread(round(PROVINCE_TOWNSHIPS * counties / PROVINCE_COUNTIES), counties, b.rng)
    per_city = spread(counties, cities, b.rng)

    province = b.org(None, f"{PROVINCE_STEM}省委", OrgKind.PARTY_COMMITTEE, OrgLevel.PROVINCE)
    city_taken = {DEMO_CITY_STEM}
    areas = [Area(f"{DEMO_CITY_STEM}市", "市")]
    areas += [Area(f"{b.places.place(city_taken)}市", "市") for _ in range(cities - 1)]
    city_orgs = [
        b.org(province, f"{a.name}委", OrgKind.PARTY_COMMITTEE, OrgLevel.CITY) for a in areas
    ]
    _upper(b, p, province, Area(f"{PROVINCE_STEM}省", "省"), city_orgs, ())
    yield b.take()
    first = 0
    for i, (city, area, count) in enumerate(zip(city_orgs, areas, per_city, strict=True)):
        for _ in _city(b, p, city, area, townships[first : first + count], city_orgs[:i]):
            yield b.take()
        first += count
