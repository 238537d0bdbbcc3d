"""The calibrators follow the scikit-learn estimator contract."""

from __future__ import annotations

import pickle

import numpy as np
from sklearn.base import clone
from sklearn.utils.estimator_checks import parametrize_with_checks

from arbetstyngd.calibrate import Delphi, PerceivedWorkload, TimeStudy

# sklearn's checks draw standardised targets, which can leave the -3..3 rating scale; the
# instance under test therefore rates on a wider scale. Bootstraps are kept short for speed.
ESTIMATORS = [
    TimeStudy(n_bootstrap=5, random_state=0, progress=False),
    TimeStudy(method="nnls", n_bootstrap=0),
    PerceivedWorkload(scale=(-1e6, 1e6), n_bootstrap=3, random_state=0, progress=False),
    Delphi(),
]


@parametrize_with_checks(ESTIMATORS)
def test_sklearn_contract(estimator, check):
    check(estimator)


def test_clone_and_pickle_keep_fit():
    rng = np.random.default_rng(0)
    X = rng.poisson(3.0, size=(40, 3)).astype(float)
    y = X @ np.array([50.0, 20.0, 80.0]) + rng.normal(0, 5, 40)
    ts = TimeStudy(n_bootstrap=10, random_state=1, progress=False).fit(X, y)
    again = pickle.loads(pickle.dumps(ts))
    np.testing.assert_array_equal(again.predict(X), ts.predict(X))
    fresh = clone(ts)
    assert not hasattr(fresh, "coef_")
    assert fresh.get_params() == ts.get_params()
