"""The AWS helpers every face shares: the one S3 listing, and the bucket-name rules."""

import pytest

from hashtagcount.aws import invalid_bucket, list_objects
from hashtagcount.errors import UserError


def test_list_objects_pages_through_everything_under_a_prefix(s3):
    s3.create_bucket(Bucket="listing")
    for i in range(5):
        s3.put_object(Bucket="listing", Key="a/{}".format(i), Body=b"x" * i)
    s3.put_object(Bucket="listing", Key="b/other", Body=b"")
    items = list(list_objects(s3, "listing", "a/"))
    assert [(item["Key"], item["Size"]) for item in items] == [("a/{}".format(i), i) for i in range(5)]
    assert len(list(list_objects(s3, "listing"))) == 6


def test_a_listing_failure_is_one_line_naming_what_was_listed(s3):
    with pytest.raises(UserError, match=r"^s3://gone/a/: no such bucket 'gone'$"):
        list(list_objects(s3, "gone", "a/"))
    with pytest.raises(UserError, match=r"^s3://gone/2017/\*: no such bucket 'gone'$"):
        list(list_objects(s3, "gone", "2017/", name="s3://gone/2017/*"))


@pytest.mark.parametrize("uri, rule", [
    ("s3://My_Bucket/x", "only lowercase letters, digits, hyphens and dots are allowed (found 'B' 'M' '_')"),
    ("s3://ab/x", "it must be 3 to 63 characters long (it has 2)"),
    ("s3://a..b/x", "it must not contain two adjacent dots"),
    ("s3://192.168.0.1/x", "it must not be formatted as an IP address"),
])
def test_an_invalid_bucket_names_the_rule_it_breaks(uri, rule):
    bucket = uri[5:].split("/")[0]
    assert invalid_bucket(uri) == "{}: invalid bucket name {!r}: {}".format(uri, bucket, rule)


def test_a_valid_bucket_has_no_problem():
    assert invalid_bucket("s3://tweets.example.com/2017/*") is None
