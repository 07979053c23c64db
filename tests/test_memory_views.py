"""Chapter 10's unit simulation, figure, widget and animation."""
import matplotlib
import numpy as np
import pytest

import plrnn_lib as pl

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

M = pl.memory


@pytest.mark.parametrize("lam", [0.9, 0.7 * np.exp(0.5j)])
def test_simulate_unit_on_a_constant_input_is_the_geometric_sum(lam):
    t = np.arange(1, 51)
    h, s = M.simulate_unit(lam, np.ones(50))
    assert np.allclose(h, (1 - lam**t) / (1 - lam))
    # d/dlam of (1 - lam^t) / (1 - lam)
    ds = (-t * lam ** (t - 1) * (1 - lam) + (1 - lam**t)) / (1 - lam) ** 2
    assert np.allclose(s, ds)


def test_panels_widget_and_animation():
    fig, axes = plt.subplots(1, 2)
    shown = M.draw_memory_panels(0.9, 0.5, axes, n_show=200, seed=3)
    assert shown["h"].shape == (200,) and shown["dh_dlam"].shape == (200,)
    # the shown stretch is stationary: its spread matches the closed-form standard deviation
    assert 0.3 < shown["h"].std() / np.sqrt(M.hidden_second_moment(0.9, 0.5)) < 2.0
    plt.close(fig)
    w = M.memory_explorer(0.8, 0.2)
    first = w.figure
    w.sliders["lam"].value = 0.95
    assert w.figure is not first
    assert "0.950" in w.figure.axes[1].get_title()
    plt.close("all")
    html = M.memory_animation(0.5, [0.5, 0.9]).data
    assert html.count("<img") + html.count("frames[") >= 2
    with pytest.raises(ValueError, match="lam_values"):
        M.memory_animation(0.5, np.linspace(0, 0.9, 40))
    with pytest.raises(ValueError, match="lam"):
        M.memory_explorer(lam=1.0)
