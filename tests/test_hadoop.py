"""Hadoop Streaming's stderr counter protocol."""

import io

from hashtagcount.hadoop import report_counters, under_hadoop


def test_hadoop_is_recognised_by_the_task_variables_it_exports():
    assert under_hadoop({"mapreduce_task_id": "task_1_m_000000"})
    assert under_hadoop({"mapred_task_id": "task_1_m_000000"})
    assert not under_hadoop({"HOME": "/root"})


def test_counters_use_the_reporter_protocol_and_skip_zeros():
    stream = io.StringIO()
    report_counters("hashtag-count", {"tweets": 3, "malformed pieces": 0, "hashtags": 5}, stream)
    assert stream.getvalue() == (
        "reporter:counter:hashtag-count,tweets,3\n"
        "reporter:counter:hashtag-count,hashtags,5\n"
    )
