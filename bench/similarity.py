"""LIST-7 at province scale: find copied lists among 10,000 without comparing all pairs.

Generates a labelled set of 领导班子主体责任清单 on the real 通州 2017 catalogue
(14 responsibilities × 项目任务 + four quarters), written from phrase banks:

- honest lists: each county has its own house style (a favoured subset of the
  banks), so neighbouring units read alike without copying each other;
- hard negatives: lists that paste the catalogue's headings and its opening
  sentence into 项目任务 but write their own measures;
- template pastes: lists whose measures are the catalogue text cut into pieces;
- planted near-copies (≈3 %): another unit's list with its unit and people
  renamed, a few items reordered and 0–10 % of the characters edited.

Then runs the pipeline of liangze.duties.lists.similarity over all of them and reports
timings, exact comparisons against n²/2, precision and recall at the threshold,
and peak memory. Usage: .venv/bin/python bench/similarity.py [--lists 10000]
[--stress-lists 3000] [--seed 7] [--write]  (--write puts the tables into
bench/SIMILARITY.md)
"""

import argparse
import json
import random
import resource
import sys
import time
from array import array
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from liangze.duties.lists import similarity  # noqa: E402

Doc = similarity.Document
CATALOGUE = ROOT / "liangze/duties/catalogues/tongzhou-2017.json"

VERBS = (
    "组织开展", "督促落实", "专题研究", "召开", "制定", "修订完善", "深入开展", "认真落实",
    "严格执行", "扎实推进", "全面梳理", "及时报送", "定期检查", "集中开展", "健全完善",
    "组织学习", "部署推进", "跟踪督办", "认真组织", "开展专项检查", "建立健全", "持续深化",
    "牵头抓好", "统筹安排", "坚持执行", "细化分解", "督导检查", "常态化开展", "扎实做好",
    "切实加强", "全面落实", "逐项核查", "随机抽查", "通报曝光", "提醒约谈", "具体指导",
    "规范", "推动", "回头看", "复盘总结", "动态更新", "分类处置", "汇总分析",
)  # fmt: skip
OBJECTS = (
    "廉政谈话", "警示教育", "党风廉政建设专题会议", "三重一大事项", "节日期间作风建设",
    "中央八项规定精神", "党风廉政建设责任书", "谈心谈话", "述责述廉", "廉政风险点排查",
    "廉政风险防控机制", "干部选拔任用工作", "工程建设项目", "惠民资金发放", "扶贫领域专项治理",
    "基层微腐败整治", "集体经济组织财务", "村级三资管理", "公务接待", "公务用车使用",
    "办公用房清理", "违规收送礼品礼金问题", "四风问题", "形式主义官僚主义问题",
    "党员干部廉洁自律", "党章党规党纪学习", "主题党日活动", "三会一课制度", "民主生活会",
    "组织生活会", "巡察反馈问题整改", "信访举报件办理", "问题线索处置", "执纪问责工作",
    "容错纠错机制", "政治生态分析研判", "廉洁文化进村居", "家风家教建设", "廉政党课",
    "责任清单", "工作台账", "履责纪实", "年度考核", "半年工作总结", "下级党组织主要负责人述职",
    "村居两委班子", "驻村工作队", "涉农资金监管", "低保评审", "征地拆迁补偿", "政府采购",
    "财务报销审批", "人事管理", "党务政务公开", "意识形态工作", "基层党建工作", "作风纪律",
    "效能监察", "政务服务窗口", "小微权力清单", "村务监督委员会", "婚丧喜庆事宜报备",
    "领导干部个人有关事项报告", "干部八小时以外活动", "重点岗位人员轮岗",
)  # fmt: skip
WHEN = (
    "每月", "每季度", "每半年", "每年", "年初", "年中", "年底前", "一季度内", "3月底前",
    "6月底前", "9月底前", "12月底前", "元旦春节前", "五一端午前", "中秋国庆前", "全年",
    "上半年", "下半年", "每周", "不定期", "节假日前后", "每次会议前",
)  # fmt: skip
GOALS = (
    "确保全覆盖", "做到有记录可查", "形成书面材料", "建立工作台账", "实行对账销号",
    "确保问题整改到位", "不少于{n}次", "覆盖率达到{p}%", "参加人数不少于{n}人",
    "及时上报县纪委", "形成长效机制", "做到件件有着落", "确保不发生违纪违规问题",
    "营造风清气正的良好氛围", "推动责任层层传导", "切实把责任扛在肩上",
    "做到早发现早提醒早纠正", "留存会议记录和照片等资料", "整改完成率达到{p}%",
    "问题线索办结率{p}%", "群众满意度不低于{p}%", "形成问题清单和整改清单",
    "由{person}牵头负责", "由{person}具体落实", "在{unit}范围内通报", "报{unit}主要负责人审定",
)  # fmt: skip
LINKS = ("，", "，并", "，同时", "，切实", "；", "，进一步", "，着力", "，重点")
PLACES = (
    "城关", "河口", "青山", "白沙", "龙泉", "石桥", "新华", "东风", "红星", "太平", "永安",
    "长乐", "金山", "银河", "柳林", "桃源", "杏花", "凤凰", "黄龙", "双河", "三江", "五里",
    "马鞍", "清水", "高坪", "大坝", "天池", "望江", "临江", "沙坪", "松林", "梅岭", "竹园",
    "兴隆", "安居", "福田", "宝山", "观音", "万寿", "玉屏", "云台", "平安", "和平", "团结",
)  # fmt: skip
SUFFIXES = ("镇党委", "乡党委", "街道党工委", "镇党委", "社区党委")
DEPARTMENTS = (
    "教育局党组", "卫健局党组", "交通局党组", "水务局党组", "农业农村局党组", "财政局党组",
    "自然资源局党组", "住建局党组", "市场监管局党组", "民政局党组", "人社局党组",
)  # fmt: skip
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
GIVEN = "建国明华志强伟丽敏静军芳娜秀英平刚桂兰海燕文玉红霞春梅德胜永福光荣学斌鹏飞宏"
WATCH = 0.8  # a lower threshold, reported to show what 0.9 leaves out
UNITS_PER_COUNTY = 40
STYLE_SHARE = 0.35  # how much of each bank a county's house style favours


@dataclass
class Unit:
    name: str
    people: tuple[str, ...]
    county: int


@dataclass
class Sample:
    unit: Unit
    items: list[list[str]]  # per catalogue entry: 项目任务, 一季度 … 四季度
    kind: str  # honest | headings | template | copy
    source: int | None = None  # for a copy: the index of the list it copies
    edit_rate: float = 0.0
    noise: tuple[str, ...] = ()


class Writer:
    """Writes measure text in one county's house style."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.verbs = rng.sample(VERBS, int(len(VERBS) * STYLE_SHARE))
        self.objects = rng.sample(OBJECTS, int(len(OBJECTS) * STYLE_SHARE))
        self.goals = rng.sample(GOALS, int(len(GOALS) * STYLE_SHARE))

    def _one(self, bank: Sequence[str]) -> str:
        # random.choice is the generator's bottleneck; one random() per pick is 3× faster.
        return bank[int(self.rng.random() * len(bank))]

    def _pick(self, favoured: list[str], bank: tuple[str, ...]) -> str:
        return self._one(favoured if self.rng.random() < 0.7 else bank)

    def clause(self, unit: Unit) -> str:
        goal = self._pick(self.goals, GOALS)
        if "{" in goal:
            goal = goal.format(
                n=self.rng.randint(1, 12),
                p=self._one(("80", "85", "90", "95", "100")),
                person=self._one(unit.people),
                unit=unit.name,
            )
        return (
            self._one(WHEN)
            + self._pick(self.verbs, VERBS)
            + self._pick(self.objects, OBJECTS)
            + self._one(LINKS)
            + goal
        )

    def measure(self, unit: Unit, clauses: tuple[int, int]) -> str:
        return "。".join(self.clause(unit) for _ in range(self.rng.randint(*clauses))) + "。"

    def item(self, unit: Unit) -> list[str]:
        return [self.measure(unit, (1, 2)), *(self.measure(unit, (1, 3)) for _ in range(4))]


def _person(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, rng.randint(1, 2)))


def _units(rng: random.Random, n: int) -> list[Unit]:
    names: set[str] = set()
    units: list[Unit] = []
    while len(units) < n:
        county = len(units) // UNITS_PER_COUNTY
        if rng.random() < 0.8:
            name = rng.choice(PLACES) + rng.choice(SUFFIXES)
        else:
            name = f"{rng.choice(PLACES)}县{rng.choice(DEPARTMENTS)}"
        name = f"{rng.choice(PLACES)}{name}" if name in names else name
        if name in names:
            continue
        names.add(name)
        units.append(Unit(name, tuple(_person(rng) for _ in range(3)), county))
    return units


def _sentences(text: str) -> list[str]:
    return [s + "。" for s in text.split("。") if s]


def _template_item(rng: random.Random, text: str) -> list[str]:
    """The catalogue requirement as 项目任务, its sentences spread over the four quarters."""
    parts = _sentences(text)
    quarters = [parts[i % len(parts)] for i in range(4)]
    if rng.random() < 0.5:
        rng.shuffle(quarters)
    return [text, *quarters]


def _edit(rng: random.Random, text: str, rate: float, alphabet: str, span: int) -> str:
    """Substitute, delete or insert runs of up to `span` characters until `rate` of them changed."""
    chars = list(text)
    budget = round(len(chars) * rate)
    while budget > 0:
        size = min(budget, rng.randint(1, span))
        budget -= size
        at = rng.randrange(len(chars))
        roll = rng.random()
        fresh = [rng.choice(alphabet) for _ in range(size)]
        if roll < 0.5:
            chars[at : at + size] = fresh
        elif roll < 0.75 and len(chars) > size:
            del chars[at : at + size]
        else:
            chars[at:at] = fresh
    return "".join(chars)


def _copy(
    rng: random.Random, source: Sample, unit: Unit, rate: float, alphabet: str, span: int
) -> Sample:
    renames = [(source.unit.name, unit.name), *zip(source.unit.people, unit.people, strict=True)]
    items = []
    for fields in source.items:
        renamed = []
        for text in fields:
            for old, new in renames:
                text = text.replace(old, new)
            renamed.append(_edit(rng, text, rate, alphabet, span))
        items.append(renamed)
    for _ in range(rng.randint(0, 3)):
        i, j = rng.sample(range(len(items)), 2)
        items[i], items[j] = items[j], items[i]
    return Sample(unit, items, "copy", edit_rate=rate)


def generate(
    n: int, seed: int, span: int = 4, copy_share: float = 0.03
) -> tuple[list[Sample], list[str]]:
    """`n` lists with their labels, and the catalogue texts they were written against."""
    rng = random.Random(seed)
    entries = json.loads(CATALOGUE.read_text(encoding="utf-8"))["sections"][0]["responsibilities"]
    catalogue = [e["text"] for e in entries]
    units = _units(rng, n)
    writers = [Writer(rng) for _ in range(units[-1].county + 1)]
    alphabet = "".join(sorted({c for bank in (VERBS, OBJECTS, GOALS) for w in bank for c in w}))
    copies = set(rng.sample(range(n), round(n * copy_share)))
    samples: list[Sample] = []
    for i, unit in enumerate(units):
        writer = writers[unit.county]
        roll = rng.random()
        if i in copies:
            samples.append(Sample(unit, [], "copy"))  # filled below, once its source exists
            continue
        if roll < 0.15:
            items = [
                [f"{e['name']}：{_sentences(e['text'])[0]}{writer.measure(unit, (1, 1))}"]
                + writer.item(unit)[1:]
                for e in entries
            ]
            samples.append(Sample(unit, items, "headings"))
        elif roll < 0.18:
            samples.append(Sample(unit, [_template_item(rng, t) for t in catalogue], "template"))
        else:
            samples.append(Sample(unit, [writer.item(unit) for _ in entries], "honest"))
    originals = [i for i, s in enumerate(samples) if s.kind in ("honest", "headings")]
    for i in sorted(copies):
        # Most copying is from a neighbour in the same county; some from anywhere.
        county = [j for j in originals if samples[j].unit.county == units[i].county]
        source = rng.choice(county if county and rng.random() < 0.7 else originals)
        copy = _copy(rng, samples[source], units[i], rng.uniform(0.0, 0.10), alphabet, span)
        copy.source = source
        samples[i] = copy
    for sample in samples:
        sample.noise = similarity.unit_noise(sample.unit.name, sample.unit.people)
    return samples, catalogue


def _texts(sample: Sample) -> list[str]:
    return ["".join(fields) for fields in sample.items]


def _truth(samples: list[Sample]) -> set[tuple[int, int]]:
    """Pairs that are copies of one another: a source with each copy, and copies of one source."""
    families: dict[int, list[int]] = {}
    for i, sample in enumerate(samples):
        if sample.source is not None:
            families.setdefault(sample.source, [sample.source]).append(i)
    return {(a, b) for members in families.values() for a in members for b in members if a < b}


def _planted(samples: list[Sample]) -> list[tuple[tuple[int, int], float]]:
    return [
        ((min(i, s.source), max(i, s.source)), s.edit_rate)
        for i, s in enumerate(samples)
        if s.source is not None
    ]


@dataclass
class Result:
    lists: int
    kinds: Counter[str]
    cpu: dict[str, float]  # CPU seconds by stage: the machine may be shared, wall time is noisy
    wall: float
    candidates: int
    exact: int
    truth: int
    lsh_found: int
    flagged: int
    found: int
    watch: tuple[int, int]  # at WATCH: flagged, of them true
    by_rate: list[tuple[str, int, int]]  # edit-rate range, planted pairs, flagged at threshold
    templates: tuple[int, int, int]  # template pastes, of them flagged, others flagged
    signatures: list[array | None]

    @property
    def pairs(self) -> int:
        return self.lists * (self.lists - 1) // 2

    @property
    def precision(self) -> float:
        return self.found / self.flagged if self.flagged else 1.0

    @property
    def recall(self) -> float:
        return self.found / self.truth if self.truth else 1.0


def run(samples: list[Sample], catalogue: list[str]) -> Result:
    """The production pipeline over every list: sign, index, estimate, score exactly."""
    template = similarity.Template.from_texts(catalogue)
    cpu: dict[str, float] = {}
    wall = time.perf_counter()

    start = time.process_time()
    signatures: list[array | None] = []
    shares: list[float] = []
    for sample in samples:
        signed = similarity.document(_texts(sample), sample.noise, template)
        signatures.append(signed.signature)
        shares.append(signed.template_share)
    cpu["signatures"] = time.process_time() - start

    start = time.process_time()
    index: similarity.LshIndex[int] = similarity.LshIndex()
    candidates: list[tuple[int, int]] = []
    for i, sig in enumerate(signatures):
        if sig is not None:
            candidates.extend((j, i) for j in index.query(sig))
            index.add(i, sig)
    del index
    cpu["candidates"] = time.process_time() - start

    start = time.process_time()
    close = sorted(
        (i, j)
        for i, j in candidates
        if similarity.estimate(signatures[i], signatures[j]) >= similarity.ESTIMATE_FLOOR  # type: ignore[arg-type]
    )
    cpu["estimates"] = time.process_time() - start

    start = time.process_time()

    @lru_cache(maxsize=64)  # pairs come sorted, so the left list is reused while it lasts
    def doc(i: int) -> similarity.Document:
        return similarity.document(_texts(samples[i]), samples[i].noise, template)

    scores = {(i, j): similarity.likeness(doc(i), doc(j)) for i, j in close}
    flagged = {pair for pair, score in scores.items() if score >= similarity.THRESHOLD}
    watched = {pair for pair, score in scores.items() if score >= WATCH}
    cpu["exact"] = time.process_time() - start

    truth = _truth(samples)
    planted = _planted(samples)
    by_rate = []
    for bucket in range(4):  # edit rates are uniform on [0, 10 %]: four buckets of 2.5 points
        pairs = {pair for pair, rate in planted if min(int(rate / 0.025), 3) == bucket}
        label = f"{bucket * 2.5:.1f}–{(bucket + 1) * 2.5:.1f} %"
        by_rate.append((label, len(pairs), len(pairs & flagged)))
    templates = {i for i, s in enumerate(samples) if s.kind == "template"}
    flagged_templates = {i for i, share in enumerate(shares) if share >= similarity.THRESHOLD}
    return Result(
        lists=len(samples),
        kinds=Counter(s.kind for s in samples),
        cpu=cpu,
        wall=time.perf_counter() - wall,
        candidates=len(candidates),
        exact=len(close),
        truth=len(truth),
        lsh_found=len(truth & set(candidates)),
        flagged=len(flagged),
        found=len(flagged & truth),
        watch=(len(watched), len(watched & truth)),
        by_rate=by_rate,
        templates=(
            len(templates),
            len(flagged_templates & templates),
            len(flagged_templates - templates),
        ),
        signatures=signatures,
    )


def lsh_sweep(result: Result, samples: list[Sample]) -> list[tuple[str, int, float]]:
    """Other band × row splits of the same signatures: candidate pairs, true pairs among them."""
    truth = _truth(samples)
    rows = []
    for bands, width in ((32, 4), (64, 4), (120, 4), (96, 5), (80, 6), (60, 8)):
        index: similarity.LshIndex[int] = similarity.LshIndex(bands, width)
        found = 0
        hits = 0
        for i, sig in enumerate(result.signatures):
            if sig is not None:
                near = index.query(sig)
                found += len(near)
                hits += sum((j, i) in truth for j in near)
                index.add(i, sig)
        rows.append((f"{bands} × {width}", found, hits / len(truth)))
    return rows


def _documents(
    samples: list[Sample], template: similarity.Template, shingle: int
) -> Callable[[int], Doc]:
    """Documents of the sampled lists, each built once, with n-grams of the given sizes."""

    @cache
    def doc(i: int) -> Doc:
        return similarity.document(_texts(samples[i]), samples[i].noise, template, shingle=shingle)

    return doc


def _two(rng: random.Random, among: list[int]) -> tuple[int, int]:
    a, b = rng.sample(among, 2)
    return a, b


def _jaccards(doc: Callable[[int], Doc], pairs: list[tuple[int, int]]) -> list[float]:
    return sorted(
        similarity.estimate(doc(a).signature, doc(b).signature)  # type: ignore[arg-type]
        for a, b in pairs
    )


def _likenesses(doc: Callable[[int], Doc], pairs: list[tuple[int, int]]) -> list[float]:
    return sorted(similarity.likeness(doc(a), doc(b)) for a, b in pairs)


def n_sweep(samples: list[Sample], catalogue: list[str], seed: int) -> list[tuple[int, ...]]:
    """For n = 2…6: estimated Jaccard and likeness of copies against honest pairs.

    Columns: n, then (as per cent) Jaccard of copies at the 5th percentile and of
    same-county and cross-county honest pairs at the 95th; likeness of copies at
    the minimum and of all honest pairs at the maximum.
    """
    rng = random.Random(seed)
    originals = [i for i, s in enumerate(samples) if s.kind in ("honest", "headings")]
    by_county: dict[int, list[int]] = {}
    for i in originals:
        by_county.setdefault(samples[i].unit.county, []).append(i)
    copies = [pair for pair, _ in _planted(samples)]
    neighbours = [_two(rng, by_county[samples[i].unit.county]) for i in originals[:150]]
    strangers = [_two(rng, originals) for _ in range(150)]
    rows: list[tuple[int, ...]] = []
    for n in (2, 3, 4, 5, 6):
        doc = _documents(samples, similarity.Template.from_texts(catalogue, cover=n), n)
        copy_j, near_j, far_j = (_jaccards(doc, p) for p in (copies, neighbours, strangers))
        copy_l, honest_l = _likenesses(doc, copies), _likenesses(doc, neighbours + strangers)
        rows.append(
            (
                n,
                round(100 * copy_j[len(copy_j) // 20]),
                round(100 * near_j[len(near_j) * 19 // 20]),
                round(100 * far_j[len(far_j) * 19 // 20]),
                round(100 * copy_l[0]),
                round(100 * honest_l[-1]),
            )
        )
    return rows


def _pct(part: float, whole: float) -> str:
    return f"{100 * part / whole:.3g} %" if whole else "—"


def report(
    main: Result,
    stress: Result,
    lsh: list[tuple[str, int, float]],
    ngrams: list[tuple[int, ...]],
    peak_mb: float,
) -> str:
    kinds = ", ".join(f"{kind} {count:,}" for kind, count in sorted(main.kinds.items()))
    per_list = 1000 * main.cpu["signatures"] / main.lists
    lines = [
        f"Lists: {main.lists:,} ({kinds}); "
        f"similarity.THRESHOLD = {similarity.THRESHOLD}, COVER = {similarity.COVER}, "
        f"SHINGLE = {similarity.SHINGLE}, LSH {similarity.BANDS} × {similarity.ROWS}, "
        f"ESTIMATE_FLOOR = {similarity.ESTIMATE_FLOOR}.",
        "",
        "| 指标 · metric | 值 · value |",
        "|---|---|",
        f"| 签名（规范化、分片、MinHash）· signatures, all lists (CPU) | "
        f"{main.cpu['signatures']:.1f} s ({per_list:.1f} ms/list) |",
        f"| LSH 分桶找候选 · LSH candidate search (CPU) | {main.cpu['candidates']:.1f} s |",
        f"| 候选对 · candidate pairs from LSH | {main.candidates:,} "
        f"({_pct(main.candidates, main.pairs)} of n²/2 = {main.pairs:,}) |",
        f"| 签名估计筛选 · signature estimates (CPU) | {main.cpu['estimates']:.1f} s |",
        f"| 精确比较 · exact comparisons | {main.exact:,} "
        f"({_pct(main.exact, main.pairs)} of n²/2) |",
        f"| 精确比较耗时 · exact comparisons (CPU) | {main.cpu['exact']:.1f} s |",
        f"| 全流程墙钟 · whole pipeline, wall clock | {main.wall:.0f} s |",
        f"| 雷同对（含同源副本之间）· true copy pairs | {main.truth:,} |",
        f"| LSH 阶段召回 · recall of the candidate stage | {_pct(main.lsh_found, main.truth)} |",
        f"| 准确率 · precision at {similarity.THRESHOLD} | {_pct(main.found, main.flagged)} "
        f"({main.found:,} / {main.flagged:,}) |",
        f"| 召回率 · recall at {similarity.THRESHOLD} | {_pct(main.found, main.truth)} "
        f"({main.found:,} / {main.truth:,}) |",
        f"| 准确率 / 召回率 · precision / recall at {WATCH} | "
        f"{_pct(main.watch[1], main.watch[0])} / {_pct(main.watch[1], main.truth)} |",
        "| 照搬模板 · template pastes flagged (recall) | "
        f"{_pct(main.templates[1], main.templates[0])} "
        f"({main.templates[1]:,} / {main.templates[0]:,}), "
        f"{main.templates[2]:,} other lists flagged |",
        f"| 峰值内存 · peak memory (ru_maxrss) | {peak_mb:,.0f} MB |",
        "",
        "| 改动比例 · characters edited | 词级改动 · word-level edits (1–4 chars), "
        "flagged / planted | 逐字改动 · scattered single characters, flagged / planted |",
        "|---|---|---|",
    ]
    for (label, total, hit), (_, s_total, s_hit) in zip(main.by_rate, stress.by_rate, strict=True):
        lines.append(f"| {label} | {hit} / {total} | {s_hit} / {s_total} |")
    lines.append(
        f"| 合计 · all | precision {_pct(main.found, main.flagged)}, "
        f"recall {_pct(main.found, main.truth)} | precision {_pct(stress.found, stress.flagged)}, "
        f"recall {_pct(stress.found, stress.truth)} ({stress.lists:,} lists; "
        f"LSH stage {_pct(stress.lsh_found, stress.truth)}) |"
    )
    lines += [
        "",
        "| 分带 · bands × rows | 候选对 · candidate pairs | LSH 召回 · true pairs among them |",
        "|---|---|---|",
        *(f"| {label} | {found:,} | {_pct(hits, 1)} |" for label, found, hits in lsh),
        "",
        "| n | Jaccard 副本 p5 · copies | 同县 p95 · same county | 跨县 p95 · other counties "
        "| likeness 副本最低 · copies min | 诚实最高 · honest max |",
        "|---|---|---|---|---|---|",
        *(
            "| " + " | ".join(str(v) if k == 0 else f"{v} %" for k, v in enumerate(row)) + " |"
            for row in ngrams
        ),
    ]
    return "\n".join(lines)


START, END = "<!-- results: bench/similarity.py --write -->", "<!-- /results -->"


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--lists", type=int, default=10_000)
    parser.add_argument("--stress-lists", type=int, default=3_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--write", action="store_true", help="put the tables into SIMILARITY.md")
    args = parser.parse_args()

    samples, catalogue = generate(args.lists, args.seed, span=4)
    main_result = run(samples, catalogue)
    lsh = lsh_sweep(main_result, samples)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    del samples
    main_result.signatures.clear()
    stressed, _ = generate(args.stress_lists, args.seed + 1, span=1)
    stress = run(stressed, catalogue)
    swept, _ = generate(1_000, args.seed + 2, span=4)
    ngrams = n_sweep(swept, catalogue, args.seed)
    table = report(main_result, stress, lsh, ngrams, peak_mb)
    print(table)
    if args.write:
        path = ROOT / "bench/SIMILARITY.md"
        text = path.read_text(encoding="utf-8")
        head, rest = text.split(START)
        path.write_text(f"{head}{START}\n{table}\n{END}{rest.split(END)[1]}", encoding="utf-8")


if __name__ == "__main__":
    main()
