"""The default forms of consultation (the office's own list); staff edit them in the admin afterwards.

Both the data migration (with historical models) and ``seed_demo`` (with the real
ones, after a test flush emptied the tables) fill them through ``ensure_forms``.
"""

CONSULTATION_FORMS = [
    "全体会议",
    "专题议政性常委会会议",
    "专题协商会",
    "协商座谈会",
    "对口协商会",
    "界别协商",
    "提案办理协商会",
    "请你来商量",
    "网络议政",
]
SUPERVISION_FORMS = [
    "会议监督",
    "提案监督",
    "视察监督",
    "专项监督",
    "委员问政",
    "网络议政",
    "微监督",
    "问询式监督",
    "协同式监督",
]


def ensure_forms(consultation_form_model, supervision_form_model) -> None:
    for order, name in enumerate(CONSULTATION_FORMS):
        consultation_form_model.objects.get_or_create(name=name, defaults={"order": order})
    for order, name in enumerate(SUPERVISION_FORMS):
        supervision_form_model.objects.get_or_create(name=name, defaults={"order": order})
