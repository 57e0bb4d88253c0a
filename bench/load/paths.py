"""What the load test's simulated people send: paths, search words, request bodies.

Kept apart from the locustfile (importing locust patches the standard library through gevent) so
that tests/test_load_paths.py can check the same paths and bodies against the application, with
Django's test client, and the load test cannot rot unnoticed.
"""

from __future__ import annotations

import random
from typing import Any

# The words staff type into the case list's search box: frequent and rare, 1–2 characters and
# longer (bench/case_search.py's classes).
SEARCHES = [*"房漏狗水钱墙债医车费", "工资", "漏水", "物业", "赔偿", "装修合同", "医疗费"]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超霞平刚"
STORIES = [
    (
        "邻里漏水纠纷",
        "楼上卫生间漏水，楼下天花板发霉，双方就维修和赔偿发生争执。",
        "修复防水，赔偿损失",
    ),
    ("欠付工资纠纷", "申请人在装修公司务工三个月，公司拖欠工资未付。", "支付拖欠工资"),
    ("赡养纠纷", "老人要求子女按月支付赡养费，子女之间互相推诿。", "按月支付赡养费"),
    ("噪音纠纷", "楼上住户深夜活动噪音较大，影响楼下休息。", "夜间十点后保持安静"),
]
STAFF_PATHS = {
    "case list": "/cases/",
    "case": "/cases/{case}/",
    "search": "/cases/?q={q}",
    "ledger": "/supervision/ledger/",
    "statistics report": "/statistics/",
    "register (API)": "/api/v1/cases",
    "accept (API)": "/api/v1/cases/{case}/transitions",
    "whole file: click": "/cases/{case}/file/render/",
    "whole file: status": "/cases/{case}/file/status/",
    "whole file: download": "/cases/{case}/file.pdf",
}
CITIZEN_PATHS = {
    "sign in": "/m/login/",
    "home": "/m/",
    "directory": "/m/directory/",
    "apply": "/m/apply/",
    "question": "/m/apply/question/",
    "details": "/m/apply/details/",
    "my cases": "/m/cases/",
    "case": "/m/cases/{case}/",
}
# The interview of a neighbours' dispute about a leak (public/interview.py), answer by answer.
NEIGHBOURS_LEAK = [("about", "leak"), ("repaired", "no"), ("loss", "3000"), ("talked", "yes")]
ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]


def id_number(rng: random.Random) -> str:
    """A resident ID number of 东湖区 with a valid GB 11643 check character."""
    born = f"{1950 + rng.randrange(50)}{1 + rng.randrange(12):02d}{1 + rng.randrange(28):02d}"
    body = f"420102{born}{rng.randrange(1000):03d}"
    total = sum(int(d) * w for d, w in zip(body, ID_WEIGHTS, strict=True))
    return body + "10X98765432"[total % 11]


def case_body(rng: random.Random) -> dict[str, Any]:
    """``POST /api/v1/cases``: a neighbours' dispute with an applicant and a respondent."""
    summary, narrative, requests = rng.choice(STORIES)

    def party(role: str) -> dict[str, Any]:
        return {
            "role": role,
            "name": rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN),
            "id_number": id_number(rng),
            "phone": f"1{rng.choice('3578')}{rng.randrange(10**9):09d}",
            "address": "东湖街道东湖小区3栋",
        }

    return {
        "dispute_type": "neighbours",
        "source": "application",
        "summary": summary,
        "narrative": narrative,
        "requests": requests,
        "parties": [party("applicant"), party("respondent")],
    }


def application_details(rng: random.Random, committee: int) -> dict[str, str]:
    """The last screen of a citizen's application, to the given committee."""
    return {
        "summary": "楼上漏水，天花板发霉",
        "requests": "修好防水，赔偿3000元",
        "amount": "3000",
        "respondent_kind": "person",
        "respondent_name": "孙大伟",
        "respondent_phone": f"137{rng.randrange(10**8):08d}",
        "committee": f"committee:{committee}",
    }
