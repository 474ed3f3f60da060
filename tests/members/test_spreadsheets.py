"""Members import from and export to Excel in the office's own columns."""

from datetime import date
from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from members.models import Member
from members.spreadsheets import COLUMNS, import_members_xlsx

GOOD_ROWS = [
    [
        "赵文华",
        "女",
        "汉族",
        date(1975, 3, 8),
        "中国民主同盟",
        "民盟",
        "区第二中学 副校长",
        "13800000001",
        "教科卫体委员会（副主任）",
        "委员",
    ],
    [
        "钱振宇",
        "男",
        "回族",
        "1968-11-02",
        "中国共产党",
        "经济界",
        "某物流公司 总经理",
        "13800000002",
        "经济委员会；提案委员会",
        "常委",
    ],
]


def xlsx(rows, header=COLUMNS) -> BytesIO:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return buffer


def upload(rows, name="名册.xlsx"):
    return SimpleUploadedFile(name, xlsx(rows).getvalue())


def test_valid_file_creates_members_with_committees(demo):
    before = Member.objects.count()
    result = import_members_xlsx(xlsx(GOOD_ROWS))
    assert result.ok, result.errors
    assert (result.created, result.updated) == (2, 0)
    assert Member.objects.count() == before + 2
    zhao = Member.objects.get(mobile="13800000001")
    assert zhao.sector.name == "民盟" and zhao.birth_date == date(1975, 3, 8)
    assert [(m.committee.name, m.role) for m in zhao.committee_memberships.all()] == [("教科卫体委员会", "deputy")]
    qian = Member.objects.get(mobile="13800000002")
    assert qian.position.name == "常委" and qian.committees.count() == 2 and qian.ethnicity == "回族"


def test_reimporting_updates_and_never_duplicates(demo):
    import_members_xlsx(xlsx(GOOD_ROWS))
    count = Member.objects.count()
    changed = [list(GOOD_ROWS[0]), list(GOOD_ROWS[1])]
    changed[0][6] = "区第二中学 校长"
    changed[1][8] = "经济委员会"
    result = import_members_xlsx(xlsx(changed))
    assert result.ok and (result.created, result.updated) == (0, 2)
    assert Member.objects.count() == count
    assert Member.objects.get(mobile="13800000001").employer_title == "区第二中学 校长"
    assert Member.objects.get(mobile="13800000002").committees.count() == 1


def test_any_bad_row_saves_nothing_and_reports_every_error_with_its_row(demo):
    bad = [
        GOOD_ROWS[0],
        ["", "男", "汉族", "1970-01-01", "中国共产党", "经济界", "x", "13800000003", "", "委员"],
        ["孙立", "未知", "汉族", "1970-13-45", "不存在的党", "不存在的界别", "x", "12345", "不存在的委员会", "部长"],
        ["李四", "男", "汉族", "", "", "", "", "13800000001", "", ""],
    ]
    before = Member.objects.count()
    result = import_members_xlsx(xlsx(bad))
    assert not result.ok
    assert Member.objects.count() == before
    messages = {(error.row, error.message) for error in result.errors}
    assert (3, "姓名不能为空") in messages
    row4 = [message for row, message in messages if row == 4]
    assert any("性别" in m for m in row4)
    assert any("出生日期" in m for m in row4)
    assert any("党派“不存在的党”不存在" in m for m in row4)
    assert any("界别" in m for m in row4)
    assert any("手机号码" in m for m in row4)
    assert any("专委会“不存在的委员会”不存在" in m for m in row4)
    assert any("职务“部长”不存在" in m for m in row4)
    assert any(row == 5 and "第 2 行" in message for row, message in messages)


def test_missing_columns_and_garbage_files_are_refused(demo):
    result = import_members_xlsx(xlsx(GOOD_ROWS, header=["姓名", "性别"]))
    assert not result.ok and "表头缺少列" in result.errors[0].message
    result = import_members_xlsx(BytesIO(b"not an excel file"))
    assert not result.ok and "无法读取" in result.errors[0].message


def test_staff_imports_through_the_page(login):
    client = login("staff")
    response = client.post("/members/import/", {"file": upload(GOOD_ROWS)})
    assert response.status_code == 302
    assert Member.objects.filter(mobile__in=["13800000001", "13800000002"]).count() == 2


def test_page_lists_errors_and_saves_nothing(login):
    client = login("staff")
    before = Member.objects.count()
    response = client.post(
        "/members/import/", {"file": upload([GOOD_ROWS[0], ["王五", "男", "汉族", "", "", "", "", "1", "", ""]])}
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "未导入任何数据" in content and "第 3 行" in content and "11位手机号" in content
    assert Member.objects.count() == before


def test_page_refuses_non_xlsx_upload(login):
    client = login("staff")
    response = client.post("/members/import/", {"file": SimpleUploadedFile("名册.csv", b"a,b")})
    assert response.status_code == 200
    assert "请上传 .xlsx 格式" in response.content.decode()


def test_export_round_trips_through_import(login):
    client = login("staff")
    response = client.get("/members/export/")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    content = b"".join(response.streaming_content)
    sheet = load_workbook(BytesIO(content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == COLUMNS
    assert len(rows) - 1 == Member.objects.count()
    before = Member.objects.count()
    result = import_members_xlsx(BytesIO(content))
    assert result.ok, result.errors[:3]
    assert result.created == 0 and Member.objects.count() == before
