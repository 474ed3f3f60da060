"""The default lists (categories, reasons for not registering) the office starts from; staff edit them in the admin afterwards.

Both the data migration (with historical models) and ``seed_demo`` (with the real
ones, after a test flush emptied the tables) fill them through ``ensure_lists``.
"""

CATEGORIES = ["经济建设", "政治建设", "文化建设", "社会建设", "生态文明建设", "其他"]
NON_REGISTRATION_REASONS = [
    "涉及国家秘密的",
    "涉及国家法律法规禁止事项的",
    "涉及党的组织工作和人事安排的",
    "属于民主党派、工商联、人民团体等内部事务的",
    "涉及正在进行诉讼或者仲裁的案件的",
    "属于学术研究和探讨的",
    "涉及提案者个人及亲属问题的",
    "属于宣传、推介具体产品、作品的",
    "针对具体人员进行检举、控告的",
    "内容空泛、没有具体建议的",
]


def ensure_lists(category_model, reason_model) -> None:
    for order, name in enumerate(CATEGORIES):
        category_model.objects.get_or_create(name=name, defaults={"order": order})
    for order, text in enumerate(NON_REGISTRATION_REASONS):
        reason_model.objects.get_or_create(text=text, defaults={"order": order})
