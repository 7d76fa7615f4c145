"""Packaging: the single source of this project's dependencies.

Installs the ``hashtagcount`` package (with the launcher in ``emr/`` as
``hashtagcount.emr``) and the ``hashtag-count`` command.  ``mapper.py``,
``reducer.py`` and ``jobs/`` are run from the checkout, not installed, so no
generic top-level module name lands in site-packages.
"""

import re
from pathlib import Path

from setuptools import setup

HERE = Path(__file__).parent
VERSION = re.search(r'__version__ = "([^"]+)"', (HERE / "hashtagcount/__init__.py").read_text()).group(1)

MRJOB = [
    "mrjob==0.7.4",
    # mrjob 0.7.4 (2020, unmaintained) imports distutils (removed in 3.12)
    # and pipes (removed in 3.13).
    'setuptools; python_version >= "3.12"',
    'standard-pipes; python_version >= "3.13"',
]

setup(
    name="hashtag-count",
    version=VERSION,
    description="Rank the most used hashtags of a tweet archive, on a laptop or on AWS EMR.",
    long_description=(HERE / "README.md").read_text(encoding="utf-8"),
    long_description_content_type="text/markdown",
    packages=["hashtagcount", "hashtagcount.emr"],
    package_dir={"hashtagcount.emr": "emr"},
    # The whole test suite passes on 3.9 and later (3.9 is EMR 7's python3); on 3.8, moto's last
    # release for it (5.0.28) reports EMR step states differently and a launcher test fails.
    # mapper.py and reducer.py, which travel alone, still run on 3.7+.
    python_requires=">=3.9",
    install_requires=["boto3>=1.26"] + MRJOB,
    extras_require={
        "fast": ["msgspec>=0.18", "isal>=1.0", "stringzilla>=3"],
        "chart": ["matplotlib>=3.5"],
        "test": ["pytest>=7", "hypothesis>=6", "moto[server]>=5", "msgspec>=0.18", "matplotlib>=3.5", "isal>=1.0",
                 "stringzilla>=3"],
        # The peers the benchmark compares with; DuckDB 2 for format='unstructured' on "}{" objects.
        "bench": ["duckdb>=2.0", "polars>=2.0", "msgspec>=0.18"],
    },
    entry_points={"console_scripts": ["hashtag-count = hashtagcount.cli:main"]},
    classifiers=["Programming Language :: Python :: 3"],
)
