import pytest

from liangze.documents.layout import Column, Form


@pytest.fixture
def form() -> Form:
    """A personal-list-like form: one label/value row, a grouped header, a merged name."""
    measures = "工作措施和目标要求"
    return Form(
        title="领导班子主要负责人责任清单",
        columns=(
            Column("责任名称", 16),
            Column("序号", 6, center=True),
            Column("项目任务", 30),
            *(Column(q, 22, group=measures) for q in ("一季度", "二季度", "三季度", "四季度")),
        ),
        body=(
            ("组织领导", "1", "研究部署", "一月", "四月", "七月", "十月"),
            ("组织领导", "2", "专题会议", "一月", "四月", "七月", "十月"),
            ("正风肃纪", "3", "作风检查" * 20, "", "", "", ""),
        ),
        merge_down=frozenset({0}),
        heading=("", "填报日期：2026年1月5日"),
        fields=((("单位", "城关镇党委"), ("姓名", "张建国"), ("职务", "党委书记")),),
        signatures=("主要负责人(签字)：张建国", "班子成员(签字)："),
        note="签字背书 SM3：ab12，第 1 版",
    )
