"""Similar-proposal hints: jieba tokens of title and content, cosine similarity.

jieba loads its dictionary (~0.8 s) once per process, lazily at first use, behind
a lock; every proposal stores its tokens in ``Proposal.keywords`` when saved, so
a hint only tokenises the new text and compares word bags.
"""

from __future__ import annotations

import logging
import math
import operator
import re
import threading
from collections import Counter
from dataclasses import dataclass
from functools import reduce

from django.db.models import Case, Q, Value, When

from .enums import FILED_STATES
from .models import Proposal, ProposalSettings

_jieba = None
_lock = threading.Lock()

TITLE_WEIGHT = 3
STOPWORDS = frozenset(
    """关于 建议 提案 进一步 加强 推进 推动 提升 完善 问题 工作 相关 有关 我们 我区 本区 进行 开展 实施 落实 以及
    目前 当前 存在 一些 部分 方面 通过 需要 没有 可以 应该 不断 积极 切实 有效 同时 其中 因此 但是 如果 对于 已经 还是
    一是 二是 三是 四是 全区 区内 情况 分析 具体 措施 建立 健全 构建 打造 提高 促进 解决 做好 持续""".split()
)
_WORD = re.compile(r"^[\u4e00-\u9fffA-Za-z]{2,}$")


def tokenizer():
    """The jieba module, initialised once per process (thread-safe)."""
    global _jieba
    if _jieba is None:
        with _lock:
            if _jieba is None:
                import jieba  # lazy: 0.6 s to import, and its dictionary loads on first use

                jieba.setLogLevel(logging.WARNING)
                jieba.initialize()
                _jieba = jieba
    return _jieba


def words(text: str) -> list[str]:
    return [w for w in tokenizer().lcut(text or "") if _WORD.match(w) and w not in STOPWORDS]


def keywords_for(title: str, *texts: str) -> str:
    """The stored bag: title words repeated ``TITLE_WEIGHT`` times, then content words."""
    title_words = words(title)
    content_words = [w for text in texts for w in words(text)]
    return " ".join(title_words * TITLE_WEIGHT + content_words)


def cosine(a: Counter, b: Counter) -> float:
    if not a or not b:
        return 0.0
    dot = sum(count * b[word] for word, count in a.items() if word in b)
    norm = math.sqrt(sum(v * v for v in a.values())) * math.sqrt(sum(v * v for v in b.values()))
    return dot / norm if norm else 0.0


@dataclass
class Match:
    proposal: object
    score: float

    @property
    def percent(self) -> int:
        return round(self.score * 100)


# A hint scores at most this many candidates (those sharing most top words, then newest): enough for
# the likely duplicates across all sessions, small enough to score in a few milliseconds in Python.
MAX_CANDIDATES = 1000
# Candidates must contain one of the bag's most frequent words (title words first: they weigh
# ``TITLE_WEIGHT``): a proposal sharing none of them cannot reach the threshold in practice.
PREFILTER_WORDS = 5


def similar_proposals(
    *,
    title: str,
    text: str = "",
    session=None,
    among=None,
    exclude_pk=None,
    limit: int = 5,
    threshold=None,
    max_candidates: int = MAX_CANDIDATES,
):
    """Proposals already filed that look like this one, best first (newest first among equals).

    All sessions (历届) unless ``session`` narrows them; ``among`` narrows the candidates to a
    queryset: a page passes what its user may see.
    """
    if threshold is None:
        threshold = ProposalSettings.get().similarity_threshold
    bag = Counter(keywords_for(title, text).split())
    if not bag:
        return []
    candidates = (Proposal.objects.all() if among is None else among).filter(state__in=FILED_STATES)
    if session is not None:
        candidates = candidates.filter(session=session)
    candidates = candidates.exclude(keywords="")
    if exclude_pk:
        candidates = candidates.exclude(pk=exclude_pk)
    # Rank in SQL by how many of the bag's top words a candidate shares (a plain ``LIKE`` each, the
    # same on SQLite and PostgreSQL), then newest first: the cap keeps the likeliest, not the latest.
    top_words = [word for word, _count in bag.most_common(PREFILTER_WORDS)]
    shares = [Q(keywords__contains=word) for word in top_words]
    candidates = (
        candidates.filter(reduce(operator.or_, shares))
        .annotate(hits=sum((Case(When(q, then=Value(1)), default=Value(0)) for q in shares), Value(0)))
        .order_by("-hits", "-session__term__number", "-session__number", "-created_at", "-pk")
    )
    scored = []
    newest = ("session__term__number", "session__number", "created_at", "pk")
    for pk, keywords, *age in candidates.values_list("pk", "keywords", *newest)[:max_candidates]:
        score = cosine(bag, Counter(keywords.split()))
        if score >= threshold:
            scored.append((round(score, 6), tuple(age), pk))
    scored.sort(reverse=True)  # best first; among equals, the newest session, then the newest proposal
    top = scored[:limit]
    found = Proposal.objects.select_related("author", "session__term").in_bulk([pk for _, _, pk in top])
    return [Match(found[pk], score) for score, _, pk in top if pk in found]
