"""The dispute types of the official statistics (15) and the newer ones systems add, as data.

Newer types name the statistics column they are counted under, so reports in the 15-column
form still add up. Later changes are new migrations that close an entry (valid_to) and open
another, never edits of old rows."""

import datetime as dt

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

FROM = dt.date(2011, 1, 1)  # the People's Mediation Law came into force
TYPES = [
    ("marriage_family", "婚姻家庭", "marriage_family"),
    ("neighbours", "邻里", "neighbours"),
    ("housing_homestead", "房屋宅基地", "housing_homestead"),
    ("contract", "合同", "contract"),
    ("business", "生产经营", "business"),
    ("damages", "损害赔偿", "damages"),
    ("forest_land", "山林土地", "forest_land"),
    ("requisition_demolition", "征地拆迁", "requisition_demolition"),
    ("environment", "环境污染", "environment"),
    ("labour", "劳动争议", "labour"),
    ("consumer", "消费", "consumer"),
    ("medical", "医疗", "medical"),
    ("traffic", "道路交通事故", "traffic"),
    ("property_management", "物业", "property_management"),
    ("unpaid_wages", "欠薪", "labour"),
    ("e_commerce", "电子商务", "consumer"),
    ("intellectual_property", "知识产权", "other"),
    ("tourism", "旅游", "other"),
    ("internet", "互联网", "other"),
    ("other", "其他", "other"),
]


def load(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    DisputeType = apps.get_model("cases", "DisputeType")
    for order, (code, name, column) in enumerate(TYPES, start=1):
        DisputeType.objects.update_or_create(
            code=code,
            defaults={"name": name, "statistics_code": column, "sort_order": order * 10, "valid_from": FROM},
        )


def unload(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    apps.get_model("cases", "DisputeType").objects.filter(code__in=[t[0] for t in TYPES]).delete()


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
