"""A responsibility list in the official layout of 004 附件1–4, as Excel or Word (DOC-1).

`layout()` describes each list type's form once — title, columns, the
label/value rows, the signature lines — and `form_for()` fills it from one
list version; the two renderers in liangze.documents draw that same form, and
importing.py reads the Excel one back (DOC-2).

The personal forms (附件2 主要负责人, 附件3 班子成员) have no 责任人 or 责任部门
columns: the person named above the table is responsible for every row.
"""

from dataclasses import dataclass
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

from liangze import access
from liangze.documents import docx, xlsx
from liangze.documents.layout import Column, Form
from liangze.duties.models import PERSONAL_TYPES, DutyItem, DutyList, ListType, Signature
from liangze.orgs.models import LEADER_KINDS, Position

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
NAME, SEQ, TASK, RESPONSIBLE, DEPARTMENT = "name", "seq", "task", "responsible", "department"


@dataclass(frozen=True)
class Layout:
    title: str
    columns: tuple[tuple[str, Column], ...]  # (DutyItem field, column)
    sealed: bool  # “单位(盖章)：” on the line under the title
    fields: tuple[tuple[str, ...], ...]  # rows of label/value pairs, by key (see _field_values)
    signatures: tuple[tuple[str, str], ...]  # (line, Signature.Role filling it)

    @property
    def task_label(self) -> str:
        return dict(self.columns)[TASK].label

    @property
    def names_responsible(self) -> bool:
        """责任人 and 责任部门 columns: 附件1 and 附件4, not the personal 附件2 and 附件3."""
        return RESPONSIBLE in dict(self.columns)


def field_labels() -> dict[str, str]:
    """The column headings by DutyItem field, as the import recognises them."""
    return {
        NAME: _("责任名称"),
        SEQ: _("序号"),
        TASK: _("项目任务"),
        RESPONSIBLE: _("责任人"),
        DEPARTMENT: _("责任部门"),
        "q1": _("一季度"),
        "q2": _("二季度"),
        "q3": _("三季度"),
        "q4": _("四季度"),
    }


def own_mark() -> str:
    """Appended to an own item's name (the “X” of “1+X”), as the import expects it."""
    return _("（自选）")


def layout(list_type: str) -> Layout:
    labels = field_labels()
    measures = _("工作措施和目标要求")
    if list_type == ListType.COLLECTIVE:
        task = labels[TASK]
    else:
        task = labels[TASK] + "\n" + _("具体分解内容")
    columns: list[tuple[str, Column]] = [
        (NAME, Column(labels[NAME], 16)),
        (SEQ, Column(labels[SEQ], 6, center=True)),
        (TASK, Column(task, 30)),
    ]
    if list_type not in PERSONAL_TYPES:
        columns += [
            (RESPONSIBLE, Column(labels[RESPONSIBLE], 9, center=True)),
            (DEPARTMENT, Column(labels[DEPARTMENT], 10, center=True)),
        ]
    columns += [(q, Column(labels[q], 22, group=measures)) for q in DutyItem.QUARTERS]
    principal, member = Signature.Role.PRINCIPAL, Signature.Role.MEMBER
    discipline = Signature.Role.DISCIPLINE
    layouts = {
        ListType.COLLECTIVE: Layout(
            title=_("党委(党组)领导班子主体责任清单"),
            columns=tuple(columns),
            sealed=True,
            fields=(),
            signatures=((_("党委(组)主要负责人(签字)："), principal),),
        ),
        ListType.PRINCIPAL: Layout(
            title=_("领导班子主要负责人责任清单"),
            columns=tuple(columns),
            sealed=False,
            fields=(("org", "name", "title"),),
            signatures=((_("领导班子主要负责人（签字）："), principal),),
        ),
        ListType.MEMBER: Layout(
            title=_("班子成员责任清单"),
            columns=tuple(columns),
            sealed=False,
            fields=(("org", "name", "title"), ("portfolio",), ("liaison",)),
            signatures=((_("主要负责人(签字)："), principal), (_("班子成员(签字)："), member)),
        ),
        ListType.SUPERVISORY: Layout(
            title=_("纪委(纪检委员)监督责任清单"),
            columns=tuple(columns),
            sealed=True,
            fields=(("body",),),
            signatures=(
                (_("党委(组)主要负责人(签字)："), principal),
                (_("纪委(纪检组)主要负责人(签字)："), discipline),
            ),
        ),
    }
    return layouts[ListType(list_type)]


def signature_roles(list_type: str) -> tuple[str, ...]:
    """Who signs a list of this type: one Signature.Role per line under its form."""
    return tuple(role for _line, role in layout(list_type).signatures)


def form_for(duty_list: DutyList) -> Form:
    """The list version as its official form, filled."""
    shape = layout(duty_list.list_type)
    items = duty_list.items.select_related("entry", "responsible").order_by("seq")
    values = _field_values(duty_list)
    names = {
        "org": _("单位"),
        "name": _("姓名"),
        "title": _("职务"),
        "portfolio": _("分管工作"),
        "liaison": _("联系单位"),
        "body": _("单位"),
    }
    filled_on = _("填报日期：%(date)s") % {"date": _day(duty_list.filled_on)}
    unit = _("单位(盖章)：%(org)s") % {"org": duty_list.org.name} if shape.sealed else ""
    return Form(
        title=shape.title,
        columns=tuple(column for _field, column in shape.columns),
        body=tuple(tuple(_cell(item, field) for field, _column in shape.columns) for item in items),
        merge_down=frozenset({0}),  # rows under one responsibility, as on the paper form
        heading=(unit, filled_on),
        fields=tuple(tuple((names[key], values[key]) for key in row) for row in shape.fields),
        signatures=_signature_lines(duty_list, shape),
        note=_note(duty_list),
    )


def xlsx_bytes(duty_list: DutyList) -> bytes:
    return xlsx.form_bytes(form_for(duty_list), sheet_title=duty_list.get_list_type_display())


def docx_bytes(duty_list: DutyList) -> bytes:
    return docx.form_bytes(form_for(duty_list))


def filename(duty_list: DutyList, extension: str) -> str:
    """城关镇党委-2026年领导班子主体责任清单-第1版.xlsx; personal lists name the person too."""
    who = f"-{duty_list.person.name}" if duty_list.person else ""
    return _("%(org)s%(who)s-%(year)d年%(type)s-第%(version)d版.%(ext)s") % {
        "org": duty_list.org.name,
        "who": who,
        "year": duty_list.year,
        "type": duty_list.get_list_type_display(),
        "version": duty_list.version,
        "ext": extension,
    }


def _cell(item: DutyItem, field: str) -> str:
    if field == NAME:
        return item.name + own_mark() if item.is_own else item.name
    if field == SEQ:
        return str(item.seq)
    if field == RESPONSIBLE:
        return item.responsible.name if item.responsible else ""
    return str(getattr(item, field))


def _field_values(duty_list: DutyList) -> dict[str, str]:
    position = _position(duty_list)
    return {
        "org": duty_list.org.name,
        "name": duty_list.person.name if duty_list.person else "",
        "title": position.title if position else "",
        "portfolio": position.portfolio if position else "",
        "liaison": "、".join(o.name for o in position.liaison_orgs.all()) if position else "",
        "body": duty_list.discipline_body.name if duty_list.discipline_body else "",
    }


def _position(duty_list: DutyList) -> Position | None:
    """The holder's current post at the list's unit, a leadership post first (职务, 分管)."""
    if duty_list.person is None:
        return None
    held = list(
        access.current_positions(duty_list.person)
        .filter(org=duty_list.org)
        .prefetch_related("liaison_orgs")
    )
    for position in held:
        if position.kind in LEADER_KINDS:
            return position
    return held[0] if held else None


def _signature_lines(duty_list: DutyList, shape: Layout) -> tuple[str, str]:
    signed = {s.role: s for s in duty_list.signatures.all()}
    lines = []
    for label, role in shape.signatures:
        signature = signed.get(role)
        if signature is None:
            lines.append(label)
        else:
            at = timezone.localtime(signature.signed_at)
            lines.append(f"{label}{signature.signer_name}　{_day(at.date())} {at:%H:%M}")
    return (lines[0], lines[1] if len(lines) > 1 else "")


def _note(duty_list: DutyList) -> str:
    if not duty_list.digest:
        return _("第 %(version)d 版") % {"version": duty_list.version}
    return _("签字背书 SM3：%(digest)s，第 %(version)d 版") % {
        "digest": duty_list.digest,
        "version": duty_list.version,
    }


def _day(day: date | None) -> str:
    if day is None:
        return _("%(blank)s年%(blank)s月%(blank)s日") % {"blank": "    "}
    return _("%(y)d年%(m)d月%(d)d日") % {"y": day.year, "m": day.month, "d": day.day}
