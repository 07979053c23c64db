import numpy as np
import pytest


def pytest_configure(config):
    config.addinivalue_line("markers", "book: builds the book or drives a browser (run after the notebooks)")


@pytest.fixture
def rng():
    return np.random.default_rng(20231017)
