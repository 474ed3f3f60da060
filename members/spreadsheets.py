"""Member registry to and from Excel, in the columns an office keeps.

Import checks every row before saving anything: either the whole file is
valid and saved in one transaction, or nothing is saved and every error is
reported with its row number. A member is matched by mobile number, or by name
and birth date when the row has no mobile, so re-importing updates and never
duplicates.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import IO

from django.db import transaction
from django.db.models import QuerySet
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from cppcc_portal.errors import ApplicationError

from .enums import CommitteeRole, Gender, MemberStatus
from .models import Committee, CommitteeMembership, Member, Party, Position, Sector, Term
from .terms import services as terms_services

COLUMNS = ["姓名", "性别", "民族", "出生日期", "党派", "界别", "工作单位及职务", "手机", "专委会", "职务"]
MAX_ROWS = 5000
_COMMITTEE_ROLE_BY_LABEL = {label: value for value, label in CommitteeRole.choices}
_SPLIT = re.compile(r"[;；,，、\n]+")
_COMMITTEE_ITEM = re.compile(r"^(?P<name>[^（(]+?)\s*(?:[（(](?P<role>[^）)]+)[）)])?$")


@dataclass
class RowError:
    row: int
    message: str


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    left: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class _ParsedRow:
    row: int
    values: dict
    committees: list[tuple[Committee, str]]


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _parse_date(value) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _text(value)
    for pattern in ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日", "%Y-%m", "%Y.%m", "%Y年%m月"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError(f"出生日期“{text}”无法识别，请写成 1970-01-31 的格式")


class _Lookups:
    """Reference data by name, loaded once per import."""

    def __init__(self) -> None:
        self.parties = {p.name: p for p in Party.objects.all()}
        self.sectors = {s.name: s for s in Sector.objects.all()}
        self.committees = {c.name: c for c in Committee.objects.all()}
        self.committees.update({c.short_name: c for c in self.committees.values() if c.short_name})
        self.positions = {p.name: p for p in Position.objects.all()}


def parse_members_xlsx(file: IO[bytes]) -> tuple[list[_ParsedRow], list[RowError]]:
    try:
        workbook = load_workbook(file, read_only=True, data_only=True)
    except (InvalidFileException, KeyError, ValueError, OSError, Exception):  # noqa: BLE001 - any unreadable file
        return [], [RowError(0, "文件无法读取，请上传 Excel（.xlsx）格式的委员名册。")]
    sheet = workbook.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = [_text(cell) for cell in next(rows, ())]
    missing = [column for column in COLUMNS if column not in header]
    if missing:
        return [], [RowError(1, f"表头缺少列：{'、'.join(missing)}。请使用导出的模板。")]
    index = {column: header.index(column) for column in COLUMNS}
    lookups = _Lookups()
    parsed: list[_ParsedRow] = []
    errors: list[RowError] = []
    seen_keys: dict[tuple, int] = {}
    for number, raw in enumerate(rows, start=2):
        if raw is None or all(cell in (None, "") for cell in raw):
            continue
        if len(parsed) + len(errors) >= MAX_ROWS:
            errors.append(RowError(number, f"一次最多导入 {MAX_ROWS} 行。"))
            break
        cells = {column: raw[i] if i < len(raw) else None for column, i in index.items()}
        row_errors, values, committees = _parse_row(cells, lookups)
        key = (
            ("mobile", values.get("mobile"))
            if values.get("mobile")
            else ("name", values.get("name"), values.get("birth_date"))
        )
        if not row_errors and key in seen_keys:
            row_errors.append(f"与第 {seen_keys[key]} 行是同一位委员（手机或姓名+出生日期相同）")
        seen_keys.setdefault(key, number)
        errors.extend(RowError(number, message) for message in row_errors)
        if not row_errors:
            parsed.append(_ParsedRow(number, values, committees))
    workbook.close()
    return parsed, errors


def _parse_row(cells: dict, lookups: _Lookups) -> tuple[list[str], dict, list[tuple[Committee, str]]]:
    errors: list[str] = []
    values: dict = {}
    name = _text(cells["姓名"])
    if not name:
        errors.append("姓名不能为空")
    elif len(name) > 40:
        errors.append("姓名过长")
    values["name"] = name
    gender = _text(cells["性别"])
    if gender not in Gender.values:
        errors.append(f"性别应为“男”或“女”，而不是“{gender}”")
    values["gender"] = gender
    values["ethnicity"] = _text(cells["民族"]) or "汉族"
    try:
        values["birth_date"] = _parse_date(cells["出生日期"])
    except ValueError as error:
        errors.append(str(error))
    for column, attr, table in (("党派", "party", lookups.parties), ("界别", "sector", lookups.sectors)):
        text = _text(cells[column])
        if text and text not in table:
            errors.append(f"{column}“{text}”不存在，请先在系统管理中添加")
        values[attr] = table.get(text)
    values["employer_title"] = _text(cells["工作单位及职务"])[:200]
    mobile = _text(cells["手机"]).replace(" ", "").replace("-", "")
    if mobile and not re.fullmatch(r"1\d{10}", mobile):
        errors.append(f"手机号码“{mobile}”不是11位手机号")
    values["mobile"] = mobile
    position_name = _text(cells["职务"]) or "委员"
    if position_name not in lookups.positions:
        errors.append(f"职务“{position_name}”不存在（应为主席、副主席、秘书长、常委或委员）")
    values["position"] = lookups.positions.get(position_name)
    committees: list[tuple[Committee, str]] = []
    for item in filter(None, (part.strip() for part in _SPLIT.split(_text(cells["专委会"])))):
        match = _COMMITTEE_ITEM.match(item)
        committee = lookups.committees.get(match.group("name").strip()) if match else None
        role_label = (match.group("role") or "委员").strip() if match else ""
        if committee is None:
            errors.append(f"专委会“{item}”不存在")
        elif role_label not in _COMMITTEE_ROLE_BY_LABEL:
            errors.append(f"专委会职务“{role_label}”应为主任、副主任或委员")
        else:
            committees.append((committee, _COMMITTEE_ROLE_BY_LABEL[role_label]))
    return errors, values, committees


def import_members_xlsx(file: IO[bytes], *, term: Term | None = None) -> ImportResult:
    """Validate the whole file, then save it all or nothing."""
    parsed, errors = parse_members_xlsx(file)
    if errors:
        return ImportResult(errors=errors)
    if not parsed:
        return ImportResult(errors=[RowError(0, "文件中没有委员数据。")])
    result = ImportResult()
    term = term or Term.current()
    with transaction.atomic():
        for row in parsed:
            _save_row(row, term, result)
    return result


def import_new_term_xlsx(file: IO[bytes], *, actor, **term_fields) -> ImportResult:
    """换届: the new term's roll opens the term, all or nothing. The old term's spans end the day
    before it starts (nothing is erased); members not on the roll leave office."""
    parsed, errors = parse_members_xlsx(file)
    if errors:
        return ImportResult(errors=errors)
    if not parsed:
        return ImportResult(errors=[RowError(0, "文件中没有委员数据。")])
    result = ImportResult()
    try:
        with transaction.atomic():
            term = terms_services.term_open(actor=actor, **term_fields)
            kept = {_save_row(row, term, result, status=MemberStatus.ACTIVE).pk for row in parsed}
            result.left = terms_services.term_retire_absent(term=term, kept=kept)
    except ApplicationError as error:
        return ImportResult(errors=[RowError(0, error.message)])
    return result


def _save_row(row: _ParsedRow, term: Term | None, result: ImportResult, **extra) -> Member:
    values = dict(row.values, **extra)
    if values["mobile"]:
        lookup = {"mobile": values["mobile"]}
    else:
        lookup = {"name": values["name"], "birth_date": values["birth_date"], "mobile": ""}
    member, created = Member.objects.update_or_create(**lookup, defaults=values)
    result.created += created
    result.updated += not created
    wanted = {committee.pk: role for committee, role in row.committees}
    member.committee_memberships.exclude(committee_id__in=wanted).delete()
    for committee_id, role in wanted.items():
        CommitteeMembership.objects.update_or_create(member=member, committee_id=committee_id, defaults={"role": role})
    if term:
        member.terms.add(term)
        if member.status == MemberStatus.ACTIVE:
            terms_services.membership_sync_current(member=member, term=term)
    return member


_ROW_FIELDS = (
    "pk",
    "name",
    "gender",
    "ethnicity",
    "birth_date",
    "party__name",
    "sector__name",
    "employer_title",
    "mobile",
    "position__name",
)


def member_rows(members: QuerySet[Member]):
    """Rows in ``COLUMNS`` order from plain values, never model objects: two queries whatever
    the size (the members through one server-side cursor; their 专委会 with the members as a
    subquery, a few short strings per member)."""
    roles = dict(CommitteeRole.choices)
    committees: dict[int, list[str]] = {}
    memberships = (
        CommitteeMembership.objects.filter(member__in=members.order_by().values("pk"))
        .order_by("member_id", "committee__order", "id")
        .values_list("member_id", "committee__name", "role")
    )
    for member_id, committee, role in memberships:
        committees.setdefault(member_id, []).append(f"{committee}（{roles.get(role, role)}）")
    values = members.prefetch_related(None).values_list(*_ROW_FIELDS).iterator(chunk_size=2000)
    for pk, name, gender, ethnicity, birth, party, sector, employer, mobile, position in values:
        yield [
            name,
            gender,
            ethnicity,
            birth,
            party or "",
            sector or "",
            employer,
            mobile,
            "；".join(committees.get(pk, ())),
            position or "",
        ]


COLUMN_WIDTHS = (10, 6, 8, 12, 14, 16, 36, 14, 36, 8)
