"""Whole-database integrity checks, run after a restore or a move to another database.

Core checks the audit chain and the evidence files; apps whose rows carry a
digest (signed lists) register their own check at start-up, so core names no
app. Every check reads through the connection alias it is given: the same
checks verify the source and the target of `migrate_database`.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from liangze.core import audit
from liangze.core.files import evidence_intact
from liangze.core.models import AuditEvent, Evidence


@dataclass
class Result:
    name: str
    checked: int = 0
    failures: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failures


Check = Callable[[str], Result]
_checks: list[Check] = []


def register(check: Check) -> None:
    if check not in _checks:
        _checks.append(check)


def audit_chain(using: str) -> Result:
    result = Result("审计链", AuditEvent.objects.using(using).count())
    broken = audit.find_break(using=using)
    if broken:
        result.failures.append(f"序号 {broken.seq}：{broken.reason}")
    return result


def evidence_files(using: str) -> Result:
    result = Result("佐证材料文件 SM3")
    for evidence in Evidence.objects.using(using).order_by("pk").iterator():
        result.checked += 1
        try:
            intact = evidence_intact(evidence)
        except OSError:
            result.failures.append(f"{evidence.original_name}（{evidence.file.name}）：文件缺失")
            continue
        if not intact:
            result.failures.append(f"{evidence.original_name}（{evidence.file.name}）：内容已改变")
    return result


register(audit_chain)
register(evidence_files)


def verify(using: str = "default") -> list[Result]:
    return [check(using) for check in _checks]


def report(results: list[Result]) -> list[str]:
    """The lines an operator reads: one per check, then one per failure."""
    lines = []
    for result in results:
        verdict = "通过" if result.ok else f"{len(result.failures)} 处不符"
        lines.append(f"  {result.name}：检查 {result.checked} 项，{verdict}")
        lines.extend(f"    ✗ {failure}" for failure in result.failures)
    return lines
