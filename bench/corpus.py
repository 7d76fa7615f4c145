#!/usr/bin/env python3
"""A deterministic generator of realistic Twitter API v1.1 stream data, for benchmarks.

Speed figures are only meaningful on data shaped like the real stream, where
JSON parsing is the whole cost: ~4 KB lines with a full ``user`` object,
retweets embedding the whole ``retweeted_status``, quote tweets embedding
``quoted_status``, truncated tweets carrying ``extended_tweet``, ~15 %
``delete`` messages, and a non-empty ``hashtags`` array on only ~20-30 % of
the lines.  Tags follow a Zipf law, come in mixed case and in several
scripts.  Lines are compact JSON with ``ensure_ascii`` and ``\\/`` escapes,
ended by CRLF, exactly like ``statuses/sample``.

The same seed always gives the same bytes, so benchmarks can cache a corpus
(:func:`cached_corpus`) and compare engines on identical input.  The
builders (:func:`make_user`, :func:`make_status`, :func:`make_retweet`,
:func:`make_quote`, :func:`make_delete`, :func:`encode`) are public so that
other tools can write hand-made tweets with real payloads.

    python bench/corpus.py --size-mb 50 --seed 1 /tmp/tweets.json
"""

import argparse
import bisect
import gzip
import itertools
import json
import os
import random
import re
import sys
import zlib
from collections import deque
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional, Sequence

BENCH_DATA = Path(__file__).resolve().parent / "data"
MB = 1000 * 1000
# Bump when the generator changes, so cached corpora are regenerated.
FORMAT_VERSION = 1

TWITTER_EPOCH_MS = 1288834974657
DEFAULT_START_MS = 1485446400000  # Thu Jan 26 16:00:00 UTC 2017
HASHTAG = re.compile(r"#(\w+)")
MENTION = re.compile(r"@(\w+)")
URL = re.compile(r"https://t\.co/\w+")
TEXT_LIMIT = 140
ELLIPSIS = "\u2026"

_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_SOURCES = (
    '<a href="http://twitter.com/download/iphone" rel="nofollow">Twitter for iPhone</a>',
    '<a href="http://twitter.com/download/android" rel="nofollow">Twitter for Android</a>',
    '<a href="http://twitter.com" rel="nofollow">Twitter Web Client</a>',
    '<a href="https://about.twitter.com/products/tweetdeck" rel="nofollow">TweetDeck</a>',
    '<a href="http://instagram.com" rel="nofollow">Instagram</a>',
)
_ALNUM = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"

# Words per tweet language; tags and texts are drawn from them.
WORDS = {
    "en": (
        "the a to and of in is it you that for on my this with be just me so are have at not "
        "love day new time good people all now what when get one like today can't about back "
        "night game music world life best happy live watch free news first great video thank "
        "win vote team show week year home school work friends family big follow tonight "
        "morning weekend breaking update fans coffee travel photo art food summer winter city "
        "star dream heart power open story future change truth money health style fashion"
    ).split(),
    "es": "hola que para con una por los las amor vida hoy noche mundo fútbol música niños "
    "gracias buenos días mañana siempre corazón fiesta".split(),
    "ja": "今日 明日 おはよう ありがとう 新曲 ライブ 東京 写真 拡散希望 相互フォロー アニメ 猫 "
    "ラーメン 桜 節分 大好き 楽しい".split(),
    "ko": "방탄소년단 엑소 트와이스 서울 맛집 일상 사랑 음악 오늘 행복 감사 팬".split(),
    "ar": "عاجل الرياض السعودية دبي مصر كرة_القدم صباح_الخير الهلال الله اليوم حب "
    "وطن جمعة_مباركة".split(),
    "tr": "güzellik İstanbul Türkiye Galatasaray Fenerbahçe aşk müzik İzmir günaydın "
    "hayat mutluluk ölenekadarvazgeçmem".split(),
    "ru": "Москва Россия футбол музыка любовь привет сегодня новости жизнь".split(),
    "th": "ประเทศไทย กรุงเทพ เพลง ความรัก วันนี้ อาหาร".split(),
}
LANGS = ("en",) * 8 + ("es",) * 3 + ("ja",) * 4 + ("ar",) * 3 + ("ko", "tr", "ru", "th")
_EMOJI = ("\U0001f602", "\u2764\ufe0f", "\U0001f525", "\U0001f60d", "\U0001f44d", "\u2728", "\U0001f3c8")
_LOCATIONS = (
    None, None, "London", "New York, NY", "東京", "서울", "الرياض", "İstanbul, Türkiye",
    "São Paulo, Brasil", "Москва", "Los Angeles, CA", "Manila", "Jakarta", "Paris, France",
)
_TIME_ZONES = (
    (None, None), ("Pacific Time (US & Canada)", -28800), ("Eastern Time (US & Canada)", -18000),
    ("London", 0), ("Tokyo", 32400), ("Seoul", 32400), ("Riyadh", 10800), ("Istanbul", 10800),
)


def twitter_time(ms: int) -> str:
    """``created_at`` as Twitter writes it: ``Thu Jan 26 16:00:00 +0000 2017`` (locale-proof)."""
    days = ms // 86400000
    secs = ms // 1000 % 86400
    y, m, d = _civil_from_days(days)
    return "{} {} {:02d} {:02d}:{:02d}:{:02d} +0000 {}".format(
        _DAYS[(days + 3) % 7], _MONTHS[m - 1], d, secs // 3600, secs // 60 % 60, secs % 60, y
    )


def _civil_from_days(z: int):
    """Proleptic Gregorian (y, m, d) of a day number since 1970-01-01 (H. Hinnant's algorithm)."""
    z += 719468
    era = z // 146097
    doe = z - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    d = doy - (153 * mp + 2) // 5 + 1
    m = mp + 3 if mp < 10 else mp - 9
    return yoe + era * 400 + (m <= 2), m, d


def snowflake(ms: int, rng: random.Random) -> int:
    """A tweet/user id as Twitter made them after 2010: time in the high bits (> 2**53)."""
    return ((ms - TWITTER_EPOCH_MS) << 22) | rng.getrandbits(22)


def _tco(rng: random.Random) -> str:
    return "https://t.co/" + "".join(rng.choice(_ALNUM) for _ in range(10))


def _stable_id(name: str) -> int:
    return 10000000 + zlib.crc32(name.encode("utf-8"))


def make_user(
    rng: random.Random,
    screen_name: Optional[str] = None,
    name: Optional[str] = None,
    lang: Optional[str] = None,
    description: Optional[str] = None,
    created_ms: Optional[int] = None,
) -> Dict[str, Any]:
    """A full v1.1 ``user`` object (all 40-odd fields the 2017 stream sends)."""
    lang = lang or rng.choice(LANGS)
    if screen_name is None:
        screen_name = "".join(rng.choice(_ALNUM[:26]) for _ in range(rng.randint(5, 10)))
        screen_name += str(rng.randint(0, 999)) if rng.random() < 0.4 else ""
    if name is None:
        words = WORDS[lang]
        name = " ".join(rng.choice(words) for _ in range(rng.randint(1, 3))).title()
        if rng.random() < 0.2:
            name += " " + rng.choice(_EMOJI)
    if description is None:
        words = WORDS[lang]
        description = " ".join(rng.choice(words) for _ in range(rng.randint(8, 30)))
        if rng.random() < 0.3:
            description += " " + rng.choice(_EMOJI)
    created_ms = created_ms or rng.randint(1199145600000, 1483228800000)
    uid = snowflake(created_ms, rng) if created_ms > 1420070400000 else rng.randint(10**6, 4 * 10**9)
    time_zone, utc_offset = rng.choice(_TIME_ZONES)
    image = "{}/{}".format(rng.randint(10**17, 10**18), "".join(rng.choice(_ALNUM) for _ in range(8)))
    url = None if rng.random() < 0.7 else "http://" + screen_name.lower() + ".com"
    return {
        "id": uid,
        "id_str": str(uid),
        "name": name,
        "screen_name": screen_name,
        "location": rng.choice(_LOCATIONS),
        "url": url,
        "description": description or None,
        "protected": False,
        "verified": rng.random() < 0.02,
        "followers_count": int(rng.paretovariate(1.2) * 50),
        "friends_count": int(rng.paretovariate(1.5) * 80),
        "listed_count": rng.randint(0, 60),
        "favourites_count": rng.randint(0, 40000),
        "statuses_count": rng.randint(1, 90000),
        "created_at": twitter_time(created_ms),
        "utc_offset": utc_offset,
        "time_zone": time_zone,
        "geo_enabled": rng.random() < 0.3,
        "lang": lang,
        "contributors_enabled": False,
        "is_translator": False,
        "profile_background_color": rng.choice(("C0DEED", "F5F8FA", "000000", "1A1B1F")),
        "profile_background_image_url": "http://abs.twimg.com/images/themes/theme1/bg.png",
        "profile_background_image_url_https": "https://abs.twimg.com/images/themes/theme1/bg.png",
        "profile_background_tile": False,
        "profile_link_color": rng.choice(("1DA1F2", "0084B4", "E81C4F")),
        "profile_sidebar_border_color": "C0DEED",
        "profile_sidebar_fill_color": "DDEEF6",
        "profile_text_color": "333333",
        "profile_use_background_image": True,
        "profile_image_url": "http://pbs.twimg.com/profile_images/" + image + "_normal.jpg",
        "profile_image_url_https": "https://pbs.twimg.com/profile_images/" + image + "_normal.jpg",
        "profile_banner_url": "https://pbs.twimg.com/profile_banners/{}/{}".format(uid, created_ms // 1000),
        "default_profile": rng.random() < 0.5,
        "default_profile_image": False,
        "following": None,
        "follow_request_sent": None,
        "notifications": None,
    }


def entities_of(text: str, urls: Sequence[str] = (), limit: Optional[int] = None) -> Dict[str, Any]:
    """``entities`` of ``text`` with code-point ``indices``; only those ending by ``limit``."""
    end = len(text) if limit is None else limit
    expanded = list(urls)
    hashtags = [
        {"text": m.group(1), "indices": [m.start(), m.end()]}
        for m in HASHTAG.finditer(text) if m.end() <= end
    ]
    mentions = [
        {
            "screen_name": m.group(1), "name": m.group(1), "id": _stable_id(m.group(1)),
            "id_str": str(_stable_id(m.group(1))), "indices": [m.start(), m.end()],
        }
        for m in MENTION.finditer(text) if m.end() <= end
    ]
    links = []
    for i, m in enumerate(URL.finditer(text)):
        target = expanded[i] if i < len(expanded) else "http://example.com/" + m.group(0)[13:]
        if m.end() <= end:
            links.append({
                "url": m.group(0), "expanded_url": target,
                "display_url": (target.split("://", 1)[-1][:26] + ELLIPSIS), "indices": [m.start(), m.end()],
            })
    return {"hashtags": hashtags, "urls": links, "user_mentions": mentions, "symbols": []}


def _media(rng: random.Random, status_id: int, screen_name: str, ms: int, at: int) -> Dict[str, Any]:
    media_id = snowflake(ms - rng.randint(1000, 600000), rng)
    name = "".join(rng.choice(_ALNUM) for _ in range(15))
    url = _tco(rng)
    w, h = rng.choice(((1200, 900), (1024, 1024), (750, 1334), (448, 247)))
    return {
        "id": media_id, "id_str": str(media_id), "indices": [at, at + len(url)],
        "media_url": "http://pbs.twimg.com/media/" + name + ".jpg",
        "media_url_https": "https://pbs.twimg.com/media/" + name + ".jpg",
        "url": url, "display_url": "pic.twitter.com/" + url[13:],
        "expanded_url": "https://twitter.com/{}/status/{}/photo/1".format(screen_name, status_id),
        "type": "photo",
        "sizes": {
            "small": {"w": min(w, 680), "h": h * min(w, 680) // w, "resize": "fit"},
            "thumb": {"w": 150, "h": 150, "resize": "crop"},
            "medium": {"w": w, "h": h, "resize": "fit"},
            "large": {"w": w, "h": h, "resize": "fit"},
        },
    }


_PLACES = (
    ("25a2096c466b79bf", "city", "Farragut", "Farragut, TN", "US", "United States", -84.24, 35.81),
    ("01a9a39529b27f36", "city", "Manhattan", "Manhattan, NY", "US", "United States", -74.03, 40.68),
    ("457b4814b4240d87", "city", "London", "London, England", "GB", "United Kingdom", -0.51, 51.29),
    ("2bf5c8b1a6e1e2bd", "admin", "東京都", "日本 東京都", "JP", "日本", 138.94, 35.50),
    ("0b4b6c7e5a1f3e2d", "city", "İstanbul", "İstanbul, Türkiye", "TR", "Türkiye", 28.59, 40.80),
)


def _place(rng: random.Random) -> Dict[str, Any]:
    pid, kind, name, full, cc, country, x, y = rng.choice(_PLACES)
    box = [[x, y], [x, y + 0.2], [x + 0.3, y + 0.2], [x + 0.3, y]]
    return {
        "id": pid, "url": "https://api.twitter.com/1.1/geo/id/" + pid + ".json", "place_type": kind,
        "name": name, "full_name": full, "country_code": cc, "country": country,
        "bounding_box": {"type": "Polygon", "coordinates": [box]}, "attributes": {},
    }


def make_status(
    rng: random.Random,
    user: Dict[str, Any],
    text: str,
    ms: int,
    lang: str = "en",
    photo: bool = False,
    urls: Sequence[str] = (),
    reply_to: Optional[Dict[str, Any]] = None,
    stream: bool = True,
) -> Dict[str, Any]:
    """A v1.1 tweet by ``user`` saying ``text`` (hashtags, mentions, t.co links become entities).

    A text longer than 140 code points gives what the 2017 stream sends: a
    ``truncated`` tweet whose ``text`` is cut with ``…`` and a link, whose
    ``entities`` hold only what survived the cut, and whose
    ``extended_tweet`` holds ``full_text`` and all the entities.
    ``stream=False`` leaves out ``timestamp_ms`` and ``filter_level``, as in
    an embedded ``retweeted_status``/``quoted_status``.
    """
    sid = snowflake(ms, rng)
    media = [_media(rng, sid, user["screen_name"], ms, len(text) + 1)] if photo else []
    full_text = text + (" " + media[0]["url"] if media else "")
    shown = len(text)
    tweet = {
        "created_at": twitter_time(ms), "id": sid, "id_str": str(sid), "text": full_text,
    }  # type: Dict[str, Any]
    truncated = len(text) > TEXT_LIMIT
    if truncated:
        cut = TEXT_LIMIT - 24
        link = _tco(rng)
        tweet["text"] = text[:cut].rstrip() + ELLIPSIS + " " + link
        tweet["display_text_range"] = [0, TEXT_LIMIT]
    elif media:
        tweet["display_text_range"] = [0, shown]
    tweet.update({
        "source": rng.choice(_SOURCES),
        "truncated": truncated,
        "in_reply_to_status_id": reply_to["id"] if reply_to else None,
        "in_reply_to_status_id_str": reply_to["id_str"] if reply_to else None,
        "in_reply_to_user_id": reply_to["user"]["id"] if reply_to else None,
        "in_reply_to_user_id_str": reply_to["user"]["id_str"] if reply_to else None,
        "in_reply_to_screen_name": reply_to["user"]["screen_name"] if reply_to else None,
        "user": user,
        "geo": None,
        "coordinates": None,
        "place": _place(rng) if rng.random() < 0.1 else None,
        "contributors": None,
        "is_quote_status": False,
    })
    full_entities = entities_of(full_text, urls)
    if media:
        full_entities["media"] = media
    if truncated:
        tweet["extended_tweet"] = {
            "full_text": full_text,
            "display_text_range": [0, shown],
            "entities": full_entities,
        }
        if media:
            tweet["extended_tweet"]["extended_entities"] = {"media": media}
        cut_entities = entities_of(full_text, urls, limit=cut)
        cut_entities["urls"].append({
            "url": link, "expanded_url": "https://twitter.com/i/web/status/" + str(sid),
            "display_url": "twitter.com/i/web/status/" + str(sid)[:7] + ELLIPSIS,
            "indices": [len(tweet["text"]) - len(link), len(tweet["text"])],
        })
        entities = cut_entities
    else:
        entities = full_entities
    tweet.update({
        "retweet_count": 0 if stream else rng.randint(0, 5000),
        "favorite_count": 0 if stream else rng.randint(0, 9000),
        "entities": entities,
    })
    if media and not truncated:
        tweet["extended_entities"] = {"media": media}
    tweet.update({"favorited": False, "retweeted": False})
    if media or urls:
        tweet["possibly_sensitive"] = False
    if stream:
        tweet["filter_level"] = "low"
    tweet["lang"] = lang
    if stream:
        tweet["timestamp_ms"] = str(ms)
    return tweet


def visible_text(tweet: Dict[str, Any]) -> str:
    """The text a reader sees: ``extended_tweet.full_text`` of a truncated tweet, else ``text``."""
    if tweet.get("truncated") and "extended_tweet" in tweet:
        return tweet["extended_tweet"]["full_text"]
    return tweet["text"]


def _embedded(tweet: Dict[str, Any]) -> Dict[str, Any]:
    inner = {k: v for k, v in tweet.items() if k not in ("timestamp_ms", "filter_level")}
    if "retweet_count" in inner:
        inner["retweet_count"] = max(inner["retweet_count"], 1)
    return inner


def make_retweet(rng: random.Random, user: Dict[str, Any], original: Dict[str, Any], ms: int) -> Dict[str, Any]:
    """A retweet as the stream sends it: ``RT @author: `` + the text cut at 140 with ``…``.

    Its own ``entities`` keep only the tags that survived the cut; the whole
    original, with its ``extended_tweet`` if any, is ``retweeted_status``.
    """
    original = _embedded(original)
    rt_text = "RT @{}: {}".format(original["user"]["screen_name"], visible_text(original))
    entities = entities_of(rt_text, limit=TEXT_LIMIT - 1)
    if len(rt_text) > TEXT_LIMIT:
        rt_text = rt_text[: TEXT_LIMIT - 1] + ELLIPSIS
    sid = snowflake(ms, rng)
    tweet = {
        "created_at": twitter_time(ms), "id": sid, "id_str": str(sid), "text": rt_text,
        "source": rng.choice(_SOURCES), "truncated": False,
        "in_reply_to_status_id": None, "in_reply_to_status_id_str": None,
        "in_reply_to_user_id": None, "in_reply_to_user_id_str": None, "in_reply_to_screen_name": None,
        "user": user, "geo": None, "coordinates": None, "place": None, "contributors": None,
        "retweeted_status": original,
        "is_quote_status": original.get("is_quote_status", False),
        "retweet_count": 0, "favorite_count": 0, "entities": entities,
        "favorited": False, "retweeted": False, "filter_level": "low",
        "lang": original.get("lang", "en"), "timestamp_ms": str(ms),
    }
    return tweet


def make_quote(
    rng: random.Random, user: Dict[str, Any], comment: str, quoted: Dict[str, Any], ms: int, lang: str = "en"
) -> Dict[str, Any]:
    """A quote tweet: ``comment`` plus a link to ``quoted``, which is embedded as ``quoted_status``."""
    quoted = _embedded(quoted)
    target = "https://twitter.com/{}/status/{}".format(quoted["user"]["screen_name"], quoted["id_str"])
    tweet = make_status(rng, user, comment + " " + _tco(rng), ms, lang=lang, urls=[target])
    merged = {}  # type: Dict[str, Any]
    for key, value in tweet.items():
        if key == "is_quote_status":
            merged["quoted_status_id"] = quoted["id"]
            merged["quoted_status_id_str"] = quoted["id_str"]
            merged["quoted_status"] = quoted
            value = True
        merged[key] = value
    return merged


def make_delete(status_id: int, user_id: int, ms: int) -> Dict[str, Any]:
    """The stream's ``delete`` notice (counts nothing)."""
    return {
        "delete": {
            "status": {"id": status_id, "id_str": str(status_id), "user_id": user_id, "user_id_str": str(user_id)},
            "timestamp_ms": str(ms),
        }
    }


def encode(record: Any, ensure_ascii: bool = True) -> bytes:
    """One record as the stream writes it: compact JSON, ``\\uXXXX`` escapes and ``\\/``."""
    text = json.dumps(record, ensure_ascii=ensure_ascii, separators=(",", ":"))
    return text.replace("/", "\\/").encode("utf-8")


def _vocabulary(rng: random.Random, size: int) -> List[str]:
    """``size`` distinct (case-insensitively) CamelCase tags, ~12 % of them not ASCII."""
    english = WORDS["en"]
    foreign = sorted(lang for lang in WORDS if lang != "en")
    tags = []  # type: List[str]
    seen = set()
    while len(tags) < size:
        if rng.random() < 0.12:
            words = WORDS[rng.choice(foreign)]
            tag = rng.choice(words)
            if rng.random() < 0.7:
                tag += rng.choice(("", "_")) + rng.choice((rng.choice(words), str(rng.randint(1, 99))))
        else:
            parts = [rng.choice(english) for _ in range(rng.choice((1, 2, 2, 3)))]
            tag = "".join(p.replace("'", "").capitalize() for p in parts)
            if rng.random() < 0.15:
                tag += str(rng.choice((2017, 17, 1, 2, 3, 10, 100)))
        key = tag.lower()
        if HASHTAG.fullmatch("#" + tag) and key not in seen:
            seen.add(key)
            tags.append(tag)
    return tags


def _as_written(rng: random.Random, tag: str) -> str:
    """Mixed case, as people type: mostly as coined, else lower, upper or random case."""
    r = rng.random()
    if r < 0.6:
        return tag
    if r < 0.85:
        return tag.lower()
    if r < 0.95:
        return tag.upper()
    return "".join(c.upper() if rng.random() < 0.5 else c.lower() for c in tag)


class CorpusGenerator:
    """An endless, seeded stream of v1.1 records with the real stream's mix.

    Lines: ~15 % deletes (``deletes``; the real 2019 sample stream has ~74 %);
    of tweets ~41 % retweets, ~6 % quotes, ~10 %
    truncated originals with ``extended_tweet``; ~30 % of tweet sources
    carry hashtags (so ~25 % of lines hold a non-empty ``hashtags`` array),
    Zipf-distributed over ``vocabulary`` tags.
    """

    def __init__(self, seed: int = 0, vocabulary: int = 20000, users: int = 3000,
                 zipf_s: float = 1.1, start_ms: int = DEFAULT_START_MS, deletes: float = 0.15) -> None:
        self.rng = random.Random(seed)
        self.deletes = deletes
        self.tags = _vocabulary(self.rng, vocabulary)
        self._cum = list(itertools.accumulate(1.0 / (k ** zipf_s) for k in range(1, vocabulary + 1)))
        self.users = [make_user(self.rng) for _ in range(users)]
        self.recent = deque(maxlen=400)  # type: Deque[Dict[str, Any]]
        self.ms = start_ms

    def tag(self) -> str:
        """One Zipf-distributed tag, written in a random case."""
        rng = self.rng
        i = bisect.bisect_left(self._cum, rng.random() * self._cum[-1])
        return _as_written(rng, self.tags[min(i, len(self.tags) - 1)])

    def _sentence(self, lang: str, n: int) -> str:
        words = WORDS[lang]
        sep = "" if lang in ("ja", "th") else " "
        return sep.join(self.rng.choice(words) for _ in range(n))

    def original(self, stream: bool = True) -> Dict[str, Any]:
        """An original tweet (maybe truncated, maybe with a photo, maybe with tags)."""
        rng = self.rng
        user = rng.choice(self.users)
        lang = user["lang"]
        long = rng.random() < 0.15
        text = self._sentence(lang, rng.randint(14, 30) if long else rng.randint(3, 14))
        if rng.random() < 0.3:
            tags = ["#" + self.tag() for _ in range(rng.choice((1, 1, 1, 2, 2, 3, 4)))]
            if rng.random() < 0.03:
                tags.append(tags[0])  # the same tag twice in one tweet
            if long or rng.random() < 0.5:
                text = text + " " + " ".join(tags)
            else:
                text = " ".join(tags) + " " + text
        if rng.random() < 0.1:
            text += " " + rng.choice(_EMOJI)
        if long and len(text) <= TEXT_LIMIT:
            text += " " + self._sentence(lang, 40)[: TEXT_LIMIT - len(text) + 30]
        return make_status(rng, user, text, self.ms - (0 if stream else rng.randint(1000, 3600000)),
                           lang=lang, photo=rng.random() < 0.3, stream=stream)

    def record(self) -> Dict[str, Any]:
        """The next record of the stream."""
        rng = self.rng
        self.ms += rng.randint(0, 30)
        r = rng.random()
        deletes = self.deletes
        if r < deletes:
            user = rng.choice(self.users)
            return make_delete(snowflake(self.ms - rng.randint(10**5, 10**9), rng), user["id"], self.ms)
        if r < deletes + (1 - deletes) * 0.41 and self.recent:
            return make_retweet(rng, rng.choice(self.users), rng.choice(self.recent), self.ms)
        if r < deletes + (1 - deletes) * 0.47 and self.recent:
            user = rng.choice(self.users)
            comment = self._sentence(user["lang"], rng.randint(2, 10))
            if rng.random() < 0.2:
                comment += " #" + self.tag()
            quote = make_quote(rng, user, comment, rng.choice(self.recent), self.ms, lang=user["lang"])
            if rng.random() < 0.5:
                self.recent.append(quote)  # to be retweeted: a retweet of a quote embeds both
            return quote
        if rng.random() < 0.5:
            self.recent.append(self.original(stream=False))
        return self.original()

    def lines(self, ensure_ascii: bool = True, newline: bytes = b"\r\n") -> Iterator[bytes]:
        """Encoded records, each ended by ``newline``, forever."""
        while True:
            yield encode(self.record(), ensure_ascii) + newline


# Corpus kinds: the share of delete messages, and what ends each record.
KINDS = {
    "stream": (0.15, b"\r\n"),  # statuses/sample as written: CRLF lines
    "deletes": (0.74, b"\r\n"),  # the real 2019 sample stream's mix: ~74 % delete messages
    "concat": (0.15, b""),  # records back to back (``}{``), as Firehose writes them without newlines
}


def generate_lines(seed: int = 0, kind: str = "stream") -> Iterator[bytes]:
    """The ``kind`` corpus for ``seed`` (see KINDS): ASCII-only records, forever."""
    deletes, newline = KINDS[kind]
    return CorpusGenerator(seed, deletes=deletes).lines(newline=newline)


def write_corpus(path: Path, size_mb: float, seed: int = 0, compress: bool = False, kind: str = "stream") -> int:
    """Write whole records of the ``seed`` corpus until ``size_mb`` MB (10**6 bytes, uncompressed).

    Returns the uncompressed byte count.  Gzip output stores no name or time,
    so it is deterministic too.
    """
    limit = int(size_mb * MB)
    written = 0
    with open(path, "wb") as raw:
        out = gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) if compress else raw
        chunk = []  # type: List[bytes]
        for line in generate_lines(seed, kind):
            chunk.append(line)
            written += len(line)
            if written >= limit or len(chunk) >= 1000:
                out.write(b"".join(chunk))
                chunk = []
                if written >= limit:
                    break
        if compress:
            out.close()
    return written


def cached_corpus(size_mb: float, seed: int = 0, compress: bool = False, directory: Path = BENCH_DATA,
                  kind: str = "stream") -> Path:
    """The path of the ``size_mb``/``seed`` corpus under ``bench/data/``, generating it once.

    Written to a temporary name and renamed, so an interrupted run never
    leaves a partial corpus behind to be trusted later.
    """
    directory.mkdir(parents=True, exist_ok=True)
    name = "corpus-v{}-{}{:g}mb-seed{}.json{}".format(
        FORMAT_VERSION, "" if kind == "stream" else kind + "-", size_mb, seed, ".gz" if compress else "")
    path = directory / name
    if not path.exists():
        partial = directory / (name + ".partial-{}".format(os.getpid()))
        try:
            write_corpus(partial, size_mb, seed, compress, kind)
            os.replace(str(partial), str(path))
        finally:
            if partial.exists():
                partial.unlink()
    return path


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(
        description="Write a deterministic, realistic Twitter v1.1 stream corpus "
        "(full payloads, ~4 KB lines, CRLF, ~15% deletes, Zipf-distributed hashtags).",
        epilog="Examples:\n"
        "  python bench/corpus.py --size-mb 50 --seed 1 /tmp/tweets.json\n"
        "  python bench/corpus.py --size-mb 50 --gzip /tmp/tweets.json.gz\n"
        "  python bench/corpus.py --size-mb 50 --kind concat /tmp/firehose-object\n"
        "The same --seed always gives the same bytes.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("out", type=Path, metavar="OUT", help="file to write (must not exist yet)")
    parser.add_argument("--size-mb", type=float, default=100.0,
                        help="uncompressed size in MB of 10**6 bytes, rounded up to a whole line (default: 100)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default: 0)")
    parser.add_argument("--gzip", action="store_true", help="gzip the output (as Firehose's GZIP compression)")
    parser.add_argument("--kind", choices=sorted(KINDS), default="stream",
                        help="stream: CRLF lines, ~15%% deletes (default); deletes: ~74%% delete messages, "
                        "as the real 2019 sample stream; concat: records back to back without newlines")
    parser.add_argument("--force", action="store_true", help="overwrite OUT if it exists")
    args = parser.parse_args(argv)
    if args.size_mb <= 0:
        parser.error("--size-mb must be positive")
    if args.out.exists() and not args.force:
        sys.stderr.write("corpus.py: {} already exists; pass --force to overwrite it\n".format(args.out))
        return 1
    try:
        size = write_corpus(args.out, args.size_mb, args.seed, args.gzip, args.kind)
    except OSError as error:
        sys.stderr.write("corpus.py: cannot write {}: {}\n".format(args.out, error.strerror or error))
        return 1
    sys.stderr.write("corpus.py: wrote {:,} bytes (uncompressed) to {}\n".format(size, args.out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
