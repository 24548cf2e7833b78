"""The ipywidgets parts more than one widget uses: Play, previous / next, the step slider and the
speed; a slider per input; the picture beside its table.

Parts are linked in Python (``widgets.link`` and observers, never ``jslink``), so setting a value
from Python moves everything a click in the browser would move.

>>> play, slider, speed = play_controls(5, 800)
>>> play.value = 3                 # what Play does on a tick
>>> slider.value
3
"""

import ipywidgets as widgets
import numpy as np

from ..teaching.notation import xml_text
from .checks import is_scalar

__all__ = ["button", "prev_next", "step_slider", "play_controls", "picture_and_table",
           "slider_range", "input_slider", "sync_sliders"]


def button(description, tooltip):
    """A button as wide as its text.

    >>> button("next ▶", "next step").layout.width
    'auto'
    """
    return widgets.Button(description=description, tooltip=tooltip,
                          layout=widgets.Layout(width="auto"))


def prev_next(noun, move):
    """The ◀ prev / next ▶ buttons; a click calls ``move(-1)`` or ``move(+1)``.

    >>> moves = []
    >>> prev, nxt = prev_next("step", moves.append)
    >>> nxt.click(); prev.click(); moves
    [1, -1]
    """
    prev_button = button("◀ prev", f"previous {noun}")
    next_button = button("next ▶", f"next {noun}")
    prev_button.on_click(lambda _: move(-1))
    next_button.on_click(lambda _: move(+1))
    return prev_button, next_button


def step_slider(description, value, lo, hi, **options):
    """An int slider that updates while it is dragged.

    >>> step_slider("path", 1, 1, 4).max
    4
    """
    return widgets.IntSlider(value=value, min=lo, max=hi, description=description,
                             continuous_update=True, style={"description_width": "3em"},
                             **options)


def play_controls(n, interval):
    """Play, the step slider (0 … ``n``) and the speed (ms per step), linked in Python: Play moves
    the slider, the speed sets Play's interval.

    >>> play, slider, speed = play_controls(5, 800)
    >>> speed.value = 300
    >>> play.interval
    300
    """
    play = widgets.Play(value=0, min=0, max=n, step=1, interval=interval, show_repeat=False,
                        description="play")
    # ipywidgets 8 calls it tooltip; 7 (Colab's) has it only on buttons, description_tooltip here.
    setattr(play, "tooltip" if play.has_trait("tooltip") else "description_tooltip",
            "play / pause")
    slider = step_slider("step", 0, 0, n)
    widgets.link((play, "value"), (slider, "value"))
    speed = widgets.IntSlider(value=interval, min=100, max=3000, step=100,
                              description="ms/step", continuous_update=False,
                              style={"description_width": "4em"},
                              layout=widgets.Layout(width="16em"))
    widgets.link((speed, "value"), (play, "interval"))
    return play, slider, speed


def picture_and_table():
    """Two HTML widgets, the picture taking the width there is and the table beside it (below it
    on a narrow screen), and the box holding them.

    >>> picture, table, body = picture_and_table()
    >>> body.children == (picture, table)
    True
    """
    picture = widgets.HTML(layout=widgets.Layout(flex="1 1 auto", min_width="0"))
    table = widgets.HTML(layout=widgets.Layout(flex="0 0 auto", margin="0 0 0 12px"))
    body = widgets.HBox([picture, table],
                        layout=widgets.Layout(align_items="flex-start", flex_flow="row wrap"))
    return picture, table, body


def slider_range(v):
    """A range around ``v`` wide enough to explore, with a round step.

    >>> slider_range(2.0)
    (-2.0, 6.0, 0.1)
    """
    span = max(2.0, 2.0 * abs(v))
    step = 10.0 ** np.floor(np.log10(span / 20.0))
    lo = np.floor((v - span) / step) * step
    hi = np.ceil((v + span) / step) * step
    return float(lo), float(hi), float(step)


def input_slider(name, value):
    """The slider of input ``name``, at ``value``.

    >>> s = input_slider("b", 1)
    >>> s.description, s.value, s.min, s.max
    ('b', 1.0, -1.0, 3.0)
    """
    lo, hi, step = slider_range(float(value))
    return widgets.FloatSlider(value=float(value), min=lo, max=hi, step=step,
                               description=xml_text(name),
                               continuous_update=True, readout_format=".4g",
                               style={"description_width": "3em"},
                               layout=widgets.Layout(width="22em"))


def sync_sliders(sliders, values, on_change, reuse):
    """The input sliders for ``values`` (``{name: value}``; arrays get none), each observed by
    ``on_change``. With ``reuse`` a slider already in ``sliders`` is kept with its value; sliders
    no longer wanted stop calling ``on_change``.

    >>> calls = []
    >>> first = sync_sliders({}, {"a": 1.0, "w": np.zeros(2)}, calls.append, reuse=True)
    >>> again = sync_sliders(first, {"a": 5.0, "b": 2.0}, calls.append, reuse=True)
    >>> list(again), again["a"] is first["a"], again["a"].value
    (['a', 'b'], True, 1.0)
    """
    kept = {}
    for name, value in values.items():
        if reuse and name in sliders:
            kept[name] = sliders[name]
        elif is_scalar(value):
            kept[name] = input_slider(name, value)
            kept[name].observe(on_change, names="value")
    for name, s in sliders.items():
        if kept.get(name) is not s:
            s.unobserve(on_change, names="value")
    return kept
