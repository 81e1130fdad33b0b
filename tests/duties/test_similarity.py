"""LIST-7, the pure part: normalising Chinese text, scoring copies, MinHash and LSH."""

import os
import random
import subprocess
import sys

import pytest

from liangze.duties.lists import similarity
from liangze.duties.lists.similarity import Segment, Template, document, likeness

HEADINGS = ("组织领导", "正风肃纪", "选好用好干部", "规范和监督权力运行", "源头治理", "齐抓共管")
WHEN = (
    "每月", "每季度", "每半年", "年底前", "3月底前", "6月底前", "元旦春节前", "中秋国庆前",
    "上半年", "下半年", "不定期", "每周", "年初", "汛期前", "农忙前", "换届前后",
)  # fmt: skip
VERBS = (
    "组织开展", "督促落实", "专题研究", "召开", "制定", "深入开展", "健全完善", "跟踪督办",
    "集中开展", "认真组织", "逐项核查", "随机抽查", "部署推进", "牵头抓好", "统筹安排",
)  # fmt: skip
WHO = (
    "党员干部", "村两委干部", "重点岗位人员", "新任职干部", "窗口单位", "站所负责人",
    "驻村工作队", "财务人员", "网格员", "机关干部", "中层干部", "年轻干部", "村监委会",
    "党支部书记", "包村干部", "执法人员", "招投标评审人员", "低保经办人员", "食堂采购人员",
)  # fmt: skip
PLACES = (
    "青山村", "白沙村", "石桥村", "柳林社区", "桃源村", "凤凰村", "双河村", "马鞍村",
    "清水社区", "高坪村", "松林村", "竹园村", "梅岭村", "兴隆社区", "玉屏村", "云台村",
)  # fmt: skip
WHAT = (
    "廉政谈话", "警示教育", "专题学习", "监督检查", "述责述廉", "廉政党课", "谈心谈话",
    "作风督查", "廉政承诺", "家访", "风险排查", "考核测评", "业务培训", "集中约谈", "案例剖析",
    "履职回访", "交叉检查", "财务审计", "述职评议", "廉情分析", "政策宣讲", "问卷测评",
)  # fmt: skip
GOALS = (
    "确保全覆盖", "做到有记录可查", "形成书面材料", "建立工作台账", "不少于{n}次",
    "由{person}牵头负责", "在{unit}范围内通报", "覆盖率达到{n}0%", "确保问题整改到位",
    "参加人数不少于{n}0人", "及时报县纪委备案", "形成问题清单", "做到件件有着落",
)  # fmt: skip


class Writer:
    """Measure text from phrase banks, in the way county lists are really written."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)

    def clause(self, unit: str, person: str) -> str:
        pick = self.rng.choice
        goal = pick(GOALS).format(n=self.rng.randint(1, 9), person=person, unit=unit)
        return f"{pick(WHEN)}在{pick(PLACES)}{pick(VERBS)}{pick(WHO)}{pick(WHAT)}，{goal}。"

    def item(self, unit: str, person: str, clauses: int = 2) -> list[str]:
        """项目任务 and four quarters."""
        return ["".join(self.clause(unit, person) for _ in range(clauses)) for _ in range(5)]

    def items(self, unit: str, person: str, n: int = len(HEADINGS)) -> list[list[str]]:
        return [self.item(unit, person) for _ in range(n)]


def joined(items: list[list[str]]) -> list[str]:
    return ["".join(fields) for fields in items]


def edit(rng: random.Random, text: str, share: float) -> str:
    """Change `share` of the characters, one at a time, anywhere."""
    chars = list(text)
    for at in rng.sample(range(len(chars)), round(len(chars) * share)):
        chars[at] = rng.choice("的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分")
    return "".join(chars)


def copy_of(
    items: list[list[str]], renames: dict[str, str], share: float, seed: int = 1
) -> list[list[str]]:
    rng = random.Random(seed)
    copied = []
    for fields in items:
        for old, new in renames.items():
            fields = [f.replace(old, new) for f in fields]
        copied.append([edit(rng, f, share) for f in fields])
    return copied


# Normalising ---------------------------------------------------------------------


def test_it_strips_punctuation_whitespace_and_width() -> None:
    assert similarity.normalise("每月召开１次 廉政谈话会，（ＡＢ）“确保”到位！\n") == (
        "每月召开1次廉政谈话会ab确保到位"
    )


def test_it_strips_the_noise_strings_longest_first() -> None:
    noise = similarity.unit_noise("城关镇党委", ["张建国"])
    assert noise == ("城关镇党委", "城关镇", "张建国")
    assert similarity.normalise("城关镇党委由张建国牵头，在城关镇范围内通报", noise) == (
        "由牵头在范围内通报"
    )


def test_it_keeps_a_one_character_stem() -> None:
    assert similarity.unit_noise("镇党委") == ("镇党委",)


# Scoring -------------------------------------------------------------------------


def test_identical_texts_score_one() -> None:
    items = joined(Writer(1).items("城关镇党委", "张建国"))
    assert likeness(document(items), document(items)) == 1.0


def test_a_planted_near_copy_scores_at_least_0_9() -> None:
    original = Writer(2).items("城关镇党委", "张建国")
    copied = copy_of(original, {"城关镇党委": "河口镇党委", "张建国": "王志强"}, share=0.05)
    copied[0], copied[3] = copied[3], copied[0]  # a few items reordered
    a = document(joined(original), similarity.unit_noise("城关镇党委", ["张建国"]))
    b = document(joined(copied), similarity.unit_noise("河口镇党委", ["王志强"]))
    assert likeness(a, b) >= 0.9
    assert (
        similarity.jaccard(
            similarity.shingles("".join(i.text for i in a.items)),
            similarity.shingles("".join(i.text for i in b.items)),
        )
        < 0.9
    ), "where set Jaccard of the n-grams would miss it"


def with_headings(items: list[list[str]]) -> list[str]:
    """Each 项目任务 opening with the catalogue's heading, as many units write it."""
    return [f"{h}：{''.join(fields)}" for h, fields in zip(HEADINGS, items, strict=True)]


def test_honest_lists_that_share_only_the_headings_score_below_0_5() -> None:
    a = with_headings(Writer(3).items("城关镇党委", "张建国"))
    b = with_headings(Writer(4).items("河口镇党委", "王志强"))
    assert likeness(document(a), document(b)) < 0.5


def test_a_list_of_pasted_catalogue_text_is_all_template() -> None:
    catalogue = [
        "及时传达学习中央和省、市纪委全会精神，研究部署本地区党风廉政建设和反腐败工作。",
        "每季度至少听取一次党风廉政建设和反腐败工作情况汇报，分析、研究、部署、推进。",
    ]
    template = Template.from_texts(catalogue)
    pasted = document([t + t[:20] for t in catalogue], template=template)
    honest = document(joined(Writer(5).items("城关镇党委", "张建国")), template=template)
    assert pasted.template_share == 1.0
    assert honest.template_share < 0.5
    assert likeness(pasted, pasted) == 0.0, "catalogue text is nobody's own: no twins from it"


def test_pairing_follows_reordered_items() -> None:
    items = joined(Writer(6).items("城关镇党委", "张建国", n=4))
    shuffled = [items[2], items[0], items[3], items[1]]
    assert similarity.pair_items(document(items), document(shuffled)) == [
        (0, 1),
        (1, 3),
        (2, 0),
        (3, 2),
    ]


def test_it_marks_the_differing_runs() -> None:
    mine, theirs = similarity.diff("每月召开廉政谈话会", "每季度召开廉政谈话会")
    assert mine == [Segment("每", False), Segment("月", True), Segment("召开廉政谈话会", False)]
    assert theirs == [
        Segment("每", False),
        Segment("季度", True),
        Segment("召开廉政谈话会", False),
    ]


# MinHash and LSH -----------------------------------------------------------------


@pytest.mark.parametrize("seed", range(5))
def test_minhash_estimates_jaccard_within_0_1(seed: int) -> None:
    rng = random.Random(seed)
    writer = Writer(seed)
    shared = "".join(writer.clause("甲", "乙") for _ in range(rng.randint(2, 40)))
    a = shared + "".join(writer.clause("甲", "乙") for _ in range(rng.randint(2, 40)))
    b = shared + "".join(writer.clause("甲", "乙") for _ in range(rng.randint(2, 40)))
    sa, sb = similarity.shingles(a), similarity.shingles(b)
    sig_a, sig_b = similarity.signature(sa), similarity.signature(sb)
    assert sig_a is not None and sig_b is not None
    assert abs(similarity.estimate(sig_a, sig_b) - similarity.jaccard(sa, sb)) <= 0.1


def test_signatures_are_the_same_in_every_process() -> None:
    # No salted hash(): the bench and the tests give the same numbers on every run.
    code = (
        "from liangze.duties.lists import similarity; print(similarity.signature({'党风廉政建设'}))"
    )
    runs = {
        subprocess.run(
            [sys.executable, "-c", code],
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in ("1", "2")
    }
    assert runs == {f"{similarity.signature({'党风廉政建设'})}\n"}
    assert similarity.signature(set()) is None


def test_lsh_finds_the_planted_pair_among_500_without_comparing_all_pairs() -> None:
    n = 500
    lists = [Writer(100 + i).items(f"第{i}镇党委", f"人员{i}", n=6) for i in range(n)]
    lists.append(copy_of(lists[17], {"第17镇党委": "新华镇党委", "人员17": "王志强"}, 0.05))
    noise = [similarity.unit_noise(f"第{i}镇党委", [f"人员{i}"]) for i in range(n)]
    noise.append(similarity.unit_noise("新华镇党委", ["王志强"]))
    docs = [document(joined(items), noise[i]) for i, items in enumerate(lists)]

    index: similarity.LshIndex[int] = similarity.LshIndex()
    compared = 0
    flagged = set()
    for i, doc in enumerate(docs):
        assert doc.signature is not None
        for j in index.query(doc.signature):
            other = docs[j].signature
            assert other is not None
            if similarity.estimate(doc.signature, other) >= similarity.ESTIMATE_FLOOR:
                compared += 1
                if likeness(docs[j], doc) >= similarity.THRESHOLD:
                    flagged.add((j, i))
        index.add(i, doc.signature)

    assert flagged == {(17, n)}
    assert compared < (n + 1) * n / 2 / 100
