"""Realistic Chinese names for demo data: people, places, units.

Surname weights follow the published frequency ranking (per mille of the
population, rounded), so a demo county has as many 王 and 李 as a real one.
"""

from bisect import bisect
from itertools import accumulate
from random import Random

# (surname, per mille) — the hundred commonest surnames plus two compound ones.
_SURNAMES: tuple[tuple[str, float], ...] = (
    ("王", 71.5), ("李", 70.0), ("张", 67.0), ("刘", 54.0), ("陈", 45.0),
    ("杨", 31.0), ("黄", 22.0), ("赵", 20.0), ("吴", 20.0), ("周", 19.0),
    ("徐", 16.0), ("孙", 15.0), ("马", 15.0), ("朱", 13.0), ("胡", 13.0),
    ("郭", 12.0), ("何", 12.0), ("高", 11.0), ("林", 11.0), ("罗", 9.0),
    ("郑", 9.0), ("梁", 9.0), ("谢", 8.0), ("宋", 8.0), ("唐", 8.0),
    ("许", 7.0), ("韩", 7.0), ("冯", 7.0), ("邓", 7.0), ("曹", 7.0),
    ("彭", 6.0), ("曾", 6.0), ("肖", 6.0), ("田", 6.0), ("董", 5.0),
    ("袁", 5.0), ("潘", 5.0), ("于", 5.0), ("蒋", 5.0), ("蔡", 5.0),
    ("余", 5.0), ("杜", 5.0), ("叶", 4.0), ("程", 4.0), ("苏", 4.0),
    ("魏", 4.0), ("吕", 4.0), ("丁", 4.0), ("任", 4.0), ("沈", 4.0),
    ("姚", 4.0), ("卢", 4.0), ("姜", 3.0), ("崔", 3.0), ("钟", 3.0),
    ("谭", 3.0), ("陆", 3.0), ("汪", 3.0), ("范", 3.0), ("金", 3.0),
    ("石", 3.0), ("廖", 3.0), ("贾", 3.0), ("夏", 3.0), ("韦", 3.0),
    ("付", 3.0), ("方", 2.5), ("白", 2.5), ("邹", 2.5), ("孟", 2.5),
    ("熊", 2.5), ("秦", 2.5), ("邱", 2.5), ("江", 2.5), ("尹", 2.5),
    ("薛", 2.0), ("闫", 2.0), ("段", 2.0), ("雷", 2.0), ("侯", 2.0),
    ("龙", 2.0), ("史", 2.0), ("陶", 2.0), ("黎", 2.0), ("贺", 2.0),
    ("顾", 2.0), ("毛", 2.0), ("郝", 2.0), ("龚", 2.0), ("邵", 2.0),
    ("万", 1.5), ("钱", 1.5), ("严", 1.5), ("覃", 1.5), ("武", 1.5),
    ("戴", 1.5), ("莫", 1.5), ("孔", 1.5), ("向", 1.5), ("汤", 1.5),
    ("欧阳", 0.5), ("司马", 0.1),
)  # fmt: skip
_SURNAME_NAMES = tuple(name for name, _ in _SURNAMES)
_SURNAME_CUMULATIVE = tuple(accumulate(weight for _, weight in _SURNAMES))

_MALE_CHARS = (
    "伟刚勇毅俊峰强军平保东文辉力明永健世广志义兴良海山仁波宁贵福生龙元全国胜学祥才发武"
    "新利清飞彬富顺信子杰涛昌成康星光天达安岩中茂进林有坚和彪博诚先敬震振壮会思群豪心邦"
    "承乐绍功松善厚庆磊民友裕河哲江超浩亮政谦亨奇固之轮翰朗伯宏言若鸣朋斌梁栋维启克伦翔"
    "旭鹏泽晨辰士以建家致树炎德行时泰盛雄琛钧冠策腾楠榕风航弘"
)
_FEMALE_CHARS = (
    "秀娟英华慧巧美娜静淑惠珠翠雅芝玉萍红娥玲芬芳燕彩春菊兰凤洁梅琳素云莲真环雪荣爱妹霞"
    "香月莺媛艳瑞凡佳嘉琼勤珍贞莉桂娣叶璧璐娅琦晶妍茜秋珊莎锦黛青倩婷姣婉娴瑾颖露瑶怡婵雁"
    "蓓纨仪荷丹蓉眉君琴蕊薇菁梦岚苑婕馨瑗琰韵融园艺咏卿聪澜纯毓悦昭冰爽琬茗羽希宁欣飘育滢"
    "馥筠柔竹霭凝晓欢霄枫芸菲寒伊亚宜可姬舒影荔枝丽阳妮宝贝初程梵罡恒鸿桦骅剑娇纪宽苛灵"
)


class Names:
    """Draws names from one Random, so the same seed gives the same people."""

    def __init__(self, rng: Random) -> None:
        self._rng = rng
        self._total = _SURNAME_CUMULATIVE[-1]

    def surname(self) -> str:
        return _SURNAME_NAMES[bisect(_SURNAME_CUMULATIVE, self._rng.random() * self._total)]

    def person(self, *, female: bool) -> str:
        chars = _FEMALE_CHARS if female else _MALE_CHARS
        pick = self._rng.random
        size = len(chars)
        # Indexing by random() rather than choice(): this runs 5.6 million times for a province.
        given = chars[int(pick() * size)]
        # About a quarter of people born 1960–2000 have a one-character given name.
        if pick() >= 0.25:
            given += chars[int(pick() * size)]
        return self.surname() + given


# Places ----------------------------------------------------------------------

# Invented county and city names: a head and a tail character, so no real
# official is put in a fictional post. 青岚 is the county `make run` shows.
DEMO_COUNTY_STEM = "青岚"
DEMO_CITY_STEM = "云州"
_PLACE_HEADS = "青云临安永清平兴丰长泰建海金仪高丹扬宜昆启如滨阜沛东洪靖六栖秦武天崇润广宝明"
_PLACE_TAILS = "岚溪泽宁川源阳山城江湖丘陵台岗州水安昌德和林桥浦口塘都"
PROVINCE_STEM = "江东"

TOWN_STEMS = (
    "城关", "河口", "东岗", "西湖", "南桥", "北塘", "新集", "永丰", "长安", "太平", "龙泉", "白马",
    "黄桥", "青石", "马厂", "高庄", "柳林", "杨集", "双河", "三河", "五里", "七里", "十字", "万寿",
    "安丰", "丰收", "兴隆", "和平", "红星", "光明", "前进", "张湾", "李庄", "王集", "沙河", "石桥",
    "古城", "新街", "金沙", "银杏", "桃园", "梨园", "花溪", "竹林", "松山", "梅岭", "凤凰", "麒麟",
    "大桥", "小店", "洪山", "临河", "坪上", "湖滨", "官庄", "陈堡", "吴庄", "周营", "孙集", "朱湾",
)  # fmt: skip
STREET_STEMS = (
    "城东", "城西", "城南", "城北", "新城", "老城", "滨江", "开发区", "文昌", "人民路", "解放路",
    "建设路", "育才", "锦绣", "凤凰山", "龙湖", "高铁新城", "花园", "翠屏", "金桥",
)  # fmt: skip

_VILLAGE_HEADS = "东西南北上下前后大小新老黄石柳杨李王张马高龙凤金桃梨花青白红长双三"
_VILLAGE_TAILS = "山河湾庄桥岗岭塘坝林园溪洼集营堡沟港圩埠店楼寨口湖坪冲"
_COMMUNITY_STEMS = (
    "人民", "建设", "和平", "幸福", "新华", "文化", "解放", "团结", "光明", "朝阳", "东风", "滨河",
    "锦绣", "育才", "振兴", "春晖", "阳光", "康居", "福苑", "金桥", "绿洲", "翠园", "丽景", "富民",
    "安居", "新苑", "桂花", "玉兰", "紫荆", "枫林", "梧桐", "银河", "明珠", "华庭", "文昌", "状元",
)  # fmt: skip
_COMPANY_HEADS = (
    "恒达", "华信", "宏远", "金鼎", "瑞丰", "天成", "永兴", "鑫源", "盛达", "东方", "新城", "龙腾",
    "富康", "安泰", "中兴", "嘉禾", "博创", "海润", "润达", "通达", "立信", "长江", "惠民", "裕丰",
)  # fmt: skip
_COMPANY_TRADES = (
    "机械", "纺织", "化工", "建材", "电子", "食品", "物流", "服装", "医药", "新材料", "农业科技",
    "建设工程", "汽车零部件", "环保科技", "家具", "光伏",
)  # fmt: skip


class Places:
    """Unit names, unique within the scope each caller asks for."""

    def __init__(self, rng: Random) -> None:
        self._rng = rng

    def village(self, taken: set[str]) -> str:
        rng = self._rng
        for _ in range(50):
            name = rng.choice(_VILLAGE_HEADS) + rng.choice(_VILLAGE_TAILS)
            if name not in taken:
                taken.add(name)
                return name
        return self._numbered(name, taken)

    def community(self, taken: set[str]) -> str:
        for _ in range(50):
            name = self._rng.choice(_COMMUNITY_STEMS)
            if name not in taken:
                taken.add(name)
                return name
        return self._numbered(name, taken)

    def company(self, taken: set[str]) -> str:
        rng = self._rng
        for _ in range(50):
            name = rng.choice(_COMPANY_HEADS) + rng.choice(_COMPANY_TRADES)
            if name not in taken:
                taken.add(name)
                return name
        return self._numbered(name, taken)

    def place(self, taken: set[str]) -> str:
        """A two-character county or city name not yet taken."""
        rng = self._rng
        for _ in range(200):
            name = rng.choice(_PLACE_HEADS) + rng.choice(_PLACE_TAILS)
            if name not in taken:
                taken.add(name)
                return name
        return self._numbered(name, taken)

    def pick(self, stems: tuple[str, ...], taken: set[str]) -> str:
        """A stem not yet taken, or a numbered one once the list runs out."""
        free = [stem for stem in stems if stem not in taken]
        name = self._rng.choice(free) if free else self._numbered(stems[0], taken)
        taken.add(name)
        return name

    @staticmethod
    def _numbered(stem: str, taken: set[str]) -> str:
        n = 2
        while f"{stem}{n}" in taken:
            n += 1
        taken.add(f"{stem}{n}")
        return f"{stem}{n}"
