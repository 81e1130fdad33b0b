from getpass import getpass
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from liangze.accounts import services
from liangze.accounts.models import AdminRole

OPTIONS = {AdminRole.SYSTEM: "system", AdminRole.SECURITY: "security", AdminRole.AUDIT: "audit"}


class Command(BaseCommand):
    help = (
        "新安装的第一步：创建系统管理员、安全管理员、审计管理员（三员分立），"
        "各设一次性初始密码，首次登录须修改。已有管理员时不做任何改动。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        for role, default in services.ADMINS:
            parser.add_argument(
                f"--{OPTIONS[role]}",
                default=default,
                metavar="用户名",
                help=f"{role.label}的用户名，默认 {default}",
            )
        source = parser.add_mutually_exclusive_group()
        source.add_argument(
            "--password-file",
            type=Path,
            help="从文件读取初始密码，每行“用户名:密码”；默认随机生成并只在本终端显示一次",
        )
        source.add_argument("--prompt", action="store_true", help="逐个输入初始密码")

    def handle(self, *args: Any, **options: Any) -> None:
        usernames: dict[str, str] = {
            role: options[OPTIONS[role]].strip() for role, _default in services.ADMINS
        }
        if len(set(usernames.values())) != len(usernames):
            raise CommandError("三个管理员的用户名不能相同。")
        if options["password_file"]:
            passwords = self._from_file(options["password_file"], usernames)
        elif options["prompt"]:
            passwords = {role: self._ask(role, name) for role, name in usernames.items()}
        else:
            passwords = {role: services.generate_initial_password() for role in usernames}
        try:
            created = services.admins_init(usernames=usernames, passwords=passwords)
        except ValidationError as error:
            raise CommandError("；".join(error.messages)) from error
        if not created:
            self.stdout.write("已有管理员账号（或用户名已被占用），没有做任何改动。")
            return
        self.stdout.write("已创建三员管理员账号，首次登录须修改密码：")
        for user in created:
            shown = (
                ""
                if options["password_file"] or options["prompt"]
                else f"  初始密码：{passwords[user.admin_role]}"
            )
            self.stdout.write(f"  {user.get_admin_role_display()}  {user.username}{shown}")
        if not (options["password_file"] or options["prompt"]):
            self.stdout.write("初始密码只显示这一次，请当面分别交给三位管理员。")

    def _from_file(self, path: Path, usernames: dict[str, str]) -> dict[str, str]:
        given = {}
        for line in path.read_text().splitlines():
            if line.strip():
                name, _sep, password = line.partition(":")
                given[name.strip()] = password.strip()
        missing = [name for name in usernames.values() if not given.get(name)]
        if missing:
            raise CommandError(f"密码文件中没有 {'、'.join(missing)} 的密码（每行“用户名:密码”）。")
        return {role: given[name] for role, name in usernames.items()}

    def _ask(self, role: str, name: str) -> str:
        label = AdminRole(role).label
        password = getpass(f"{label} {name} 的初始密码：")
        if getpass("再输入一次：") != password:
            raise CommandError("两次输入的密码不一致，没有做任何改动。")
        return password
