"""mrjob jobs, run from the checkout (``python -m jobs.hashtag_count``); not installed."""
