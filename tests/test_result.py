"""What a count reports about its inputs: junk named, empty inputs noted, malformed pieces located."""

from collections import Counter

from hashtagcount.engine import Options, Unit, UnitResult
from hashtagcount.extract import Stats
from hashtagcount.result import Result, Tally, malformed_summary
from hashtagcount.sources import Source


def stats(lines=0, skipped=0, records=0, malformed=0, hashtags=0):
    made = Stats()
    made.lines, made.skipped, made.records, made.malformed, made.hashtags = lines, skipped, records, malformed, hashtags
    return made


def done(name, counts=(), error=None, **counters):
    return UnitResult(Unit(Source(name, 100)), Counter(counts), stats(**counters), error)


def test_a_tally_merges_counts_and_stats_overall_and_per_source():
    tally = Tally()
    tally.add(done("a", {"x": 2}, lines=3, records=3, hashtags=2))
    tally.add(done("a", {"x": 1, "y": 1}, lines=2, records=2, hashtags=2))  # another byte range of a
    tally.add(done("b", error="b: corrupt gzip data"))
    assert tally.counts == Counter(x=3, y=1) and tally.stats.lines == 5 and tally.failed == ["b: corrupt gzip data"]
    assert list(tally.by_source) == ["a"] and tally.by_source["a"].as_dict() == stats(
        lines=5, records=5, hashtags=4).as_dict()


def test_the_malformed_summary_names_the_worst_inputs_first():
    by_source = {"a": stats(lines=5, malformed=1), "b": stats(lines=9, malformed=7), "c": stats(lines=1),
                 "d": stats(lines=2, malformed=1), "e": stats(lines=3, malformed=2)}
    total = stats(lines=20, malformed=11, hashtags=4)
    assert malformed_summary(total, by_source) == (
        "note: skipped 11 malformed piece(s) in 20 lines (4 hashtags counted); most in b (7), e (2), a (1), ...")


def test_notes_name_junk_and_empty_inputs_in_name_order_then_gaps():
    tally = Tally()
    for unit in (done("z.bin", lines=4, malformed=4), done("empty.json"), done("ok.json", {"t": 1}, lines=1,
                 records=1, hashtags=1), done("a.bin", lines=2, malformed=2)):
        tally.add(unit)
    result = Result(tally, [], Options(), skipped=["gone.json: no such file or directory"],
                    empty_patterns=["p/2017/01/01/00/*"])
    assert result.notes() == [
        "warning: a.bin: 2 lines, no JSON record: is this tweet data?",
        "note: empty.json: empty input, nothing counted",
        "warning: z.bin: 4 lines, no JSON record: is this tweet data?",
        "note: skipped 6 malformed piece(s) in 7 lines (1 hashtags counted); most in z.bin (4), a.bin (2)",
        "note: 1 date pattern(s) matched nothing and are left out: p/2017/01/01/00/*",
        "warning: PARTIAL result: 1 input(s) could not be read and were skipped: gone.json: no such file or directory",
    ]
    assert result.partial and not result.is_sample


def test_a_sample_of_everything_is_not_a_sample():
    assert not Result(Tally(), [], Options(sample=1.0)).is_sample
    assert Result(Tally(), [], Options(sample=0.5)).is_sample


def test_in_a_sample_an_input_is_empty_only_when_it_has_no_bytes():
    tally = Tally()
    for name, size in (("small.json", 22000), ("empty.json", 0)):
        tally.add(UnitResult(Unit(Source(name, size)), Counter(), stats(), None))  # the sample drew no line
    tally.add(done("ok.json", {"t": 1}, lines=1, records=1, hashtags=1))
    sources = [Source("small.json", 22000), Source("empty.json", 0), Source("ok.json", 100)]
    sampled = Result(tally, sources, Options(sample=0.5))
    assert sampled.notes() == ["note: empty.json: empty input, nothing counted"]
    assert Result(tally, sources, Options()).notes() == [
        "note: empty.json: empty input, nothing counted", "note: small.json: empty input, nothing counted"]


def test_a_result_has_records_when_some_input_yielded_one():
    junk, good, skipped = Tally(), Tally(), Tally()
    junk.add(done("random.bin", lines=4, malformed=4))
    good.add(done("random.bin", lines=4, malformed=4))
    good.add(done("ok.json", {"t": 1}, lines=1, records=1, hashtags=1))
    skipped.add(done("deletes.json", lines=3, skipped=3))  # records the pre-check did not need to decode
    assert not Result(junk, [], Options()).has_records
    assert Result(good, [], Options()).has_records and Result(skipped, [], Options()).has_records
