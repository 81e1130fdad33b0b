from typing import Any

from django.core.management.base import BaseCommand

from liangze.duties.catalogues import services


class Command(BaseCommand):
    help = "载入随系统提供的责任目录（通州 2017、广安 2014）；重复执行不会重复载入。"

    def handle(self, *args: Any, **options: Any) -> None:
        for path in sorted(services.SEED_CATALOGUES.glob("*.json")):
            catalogue, created = services.catalogue_load(path=path)
            state = "已载入" if created else "已存在，跳过"
            self.stdout.write(f"{catalogue.title}：{catalogue.entries.count()} 项，{state}")
