"""The counting rule, one example per clause of its docstring."""

import pytest

from hashtagcount.hashtags import hashtag_key, hashtags_of
from tweets import tweet


def test_a_tweet_counts_its_hashtags_lowercased_without_hash():
    assert hashtags_of(tweet("Rust", "python")) == (1, ["rust", "python"])


def test_case_sensitive_keeps_the_case():
    assert hashtags_of(tweet("Rust"), case_sensitive=True) == (1, ["Rust"])


def test_a_tag_twice_in_one_tweet_counts_twice():
    assert hashtags_of(tweet("go", "Go")) == (1, ["go", "go"])


def test_a_retweet_counts_the_original_tweets_hashtags():
    # The retweet's own text was cut after "RT @user: ", losing #late.
    original = tweet("early", "late")
    retweet = tweet("early", retweeted_status=original)
    assert hashtags_of(retweet) == (1, ["early", "late"])


def test_exclude_retweets_drops_retweets_but_they_are_still_tweets():
    assert hashtags_of(tweet("a", retweeted_status=tweet("a")), exclude_retweets=True) == (1, [])
    assert hashtags_of(tweet("a"), exclude_retweets=True) == (1, ["a"])


def test_a_truncated_tweet_counts_its_extended_tweet_entities():
    extended = {"full_text": "long", "entities": {"hashtags": [{"text": "Cut"}, {"text": "AfterCut"}]}}
    assert hashtags_of(tweet("Cut", truncated=True, extended_tweet=extended)) == (1, ["cut", "aftercut"])


def test_extended_tweet_is_ignored_unless_the_tweet_is_truncated():
    extended = {"entities": {"hashtags": [{"text": "other"}]}}
    assert hashtags_of(tweet("kept", truncated=False, extended_tweet=extended)) == (1, ["kept"])


def test_a_retweet_of_a_truncated_tweet_uses_the_originals_extended_entities():
    extended = {"entities": {"hashtags": [{"text": "A"}, {"text": "B"}]}}
    original = tweet("A", truncated=True, extended_tweet=extended)
    assert hashtags_of(tweet(retweeted_status=original)) == (1, ["a", "b"])


def test_quoted_tweets_are_never_counted():
    assert hashtags_of(tweet("mine", quoted_status=tweet("theirs"))) == (1, ["mine"])


@pytest.mark.parametrize("message", [
    {"delete": {"status": {"id": 1, "id_str": "1", "user_id": 2, "user_id_str": "2"}}},
    {"limit": {"track": 5, "timestamp_ms": "1"}},
    {"scrub_geo": {"user_id": 1, "up_to_status_id": 2}},
    {"status_withheld": {"id": 1, "user_id": 2, "withheld_in_countries": ["DE"]}},
    {"warning": {"code": "FALLING_BEHIND", "message": "slow", "percent_full": 60}},
    {"disconnect": {"code": 4, "stream_name": "x", "reason": "y"}},
    [1, 2], "text", 3, None,
])
def test_stream_messages_and_other_json_hold_no_tweet(message):
    assert hashtags_of(message) == (0, [])


def test_a_tweet_without_entities_counts_nothing():
    assert hashtags_of({"id_str": "1", "text": "#notparsed"}) == (1, [])


def test_api_v2_single_tweet_uses_tag():
    line = {"data": {"id": "1", "text": "#A", "entities": {"hashtags": [{"start": 0, "end": 2, "tag": "A"}]}}}
    assert hashtags_of(line) == (1, ["a"])


def test_api_v2_list_of_tweets():
    line = {"data": [{"id": "1", "entities": {"hashtags": [{"tag": "x"}]}},
                     {"id": "2", "entities": {"hashtags": [{"tag": "y"}, {"tag": "X"}]}},
                     {"id": "3", "text": "no entities"}]}
    assert hashtags_of(line) == (3, ["x", "y", "x"])


def test_api_v2_retweet_uses_the_included_original():
    line = {
        "data": {"id": "2", "text": "RT @a: #short…", "entities": {"hashtags": [{"tag": "short"}]},
                 "referenced_tweets": [{"type": "retweeted", "id": "1"}]},
        "includes": {"tweets": [{"id": "1", "entities": {"hashtags": [{"tag": "short"}, {"tag": "full"}]}}]},
    }
    assert hashtags_of(line) == (1, ["short", "full"])
    assert hashtags_of(line, exclude_retweets=True) == (1, [])


def test_api_v2_retweet_without_its_original_uses_its_own_entities():
    line = {"data": {"id": "2", "entities": {"hashtags": [{"tag": "own"}]},
                     "referenced_tweets": [{"type": "retweeted", "id": "9"}]}}
    assert hashtags_of(line) == (1, ["own"])


def test_api_v2_quote_is_not_a_retweet():
    line = {"data": {"id": "2", "entities": {"hashtags": [{"tag": "q"}]},
                     "referenced_tweets": [{"type": "quoted", "id": "9"}]},
            "includes": {"tweets": [{"id": "9", "entities": {"hashtags": [{"tag": "theirs"}]}}]}}
    assert hashtags_of(line, exclude_retweets=True) == (1, ["q"])


def test_api_v2_long_tweet_uses_note_tweet_entities():
    line = {"data": {"id": "1", "entities": {"hashtags": [{"tag": "a"}]},
                     "note_tweet": {"text": "…", "entities": {"hashtags": [{"tag": "a"}, {"tag": "b"}]}}}}
    assert hashtags_of(line) == (1, ["a", "b"])


@pytest.mark.parametrize("text, key", [
    ("Tab\tIn", "tab in"),
    ("new\nline\r", "new line "),
    ("\ud83dCut", "\ufffdcut"),            # half an emoji: must still encode as UTF-8
    ("Güzellik", "güzellik"),
    ("ÖlenekadarVazgeçmem", "ölenekadarvazgeçmem"),
    ("サッカー", "サッカー"),
])
def test_keys_are_safe_for_key_tab_value_lines(text, key):
    assert hashtag_key(text) == key
    assert hashtag_key(text).encode("utf-8")


@pytest.mark.parametrize("text", [None, 5, "", "  ", "\t", ["a"]])
def test_empty_or_non_string_hashtags_are_dropped(text):
    assert hashtag_key(text) is None


def test_garbage_inside_entities_is_ignored_not_fatal():
    record = {"text": "x", "entities": {"hashtags": ["str", None, {"text": 3}, {"text": "ok"}, {}]}}
    assert hashtags_of(record) == (1, ["ok"])
    assert hashtags_of({"text": "x", "entities": {"hashtags": {"text": "a"}}}) == (1, [])
    assert hashtags_of({"text": "x", "entities": None}) == (1, [])
    assert hashtags_of({"text": "x", "retweeted_status": None, "entities": {"hashtags": [{"text": "a"}]}}) == (1, ["a"])
