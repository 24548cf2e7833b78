"""TensorShape and Dimension at their edges, as TensorFlow 1 has them (issue 27's survivors of
core/shapes.py). Each expected value and message was read off TensorFlow 2.21's
``tensorflow.compat.v1`` with v2 behaviour disabled; where teachgrad writes more than TF (a hint),
the test says so."""

import pytest

import teachgrad as tg
from teachgrad.core.shapes import Dimension, TensorShape, unknown_dims

UNKNOWN = TensorShape(None)


def test_an_unknown_dimension_prints_as_a_question_mark_and_has_no_int():
    d = TensorShape([None, 3])[0]
    assert str(d) == "?" and repr(d) == "Dimension(None)" and d.value is None
    # TensorFlow: TypeError (__int__ returned non-int); teachgrad says why and what to use
    for size in (int, lambda d: [0, 1][d]):
        with pytest.raises(TypeError, match=r"^this dimension's size is not known until the "
                                            r"graph runs \(it is None in the static shape\): use "
                                            r"tg\.shape\(x\) for the size at run time$"):
            size(d)


def test_sizes_are_counts_zero_included():
    assert TensorShape([0, 2]) == [0, 2]
    assert TensorShape([Dimension(None), Dimension(3)]) == [None, 3]
    assert TensorShape(TensorShape([None, 3]).dims) == [None, 3]
    with pytest.raises(ValueError, match=r"^Dimension -1 must be >= 0 \(a shape's sizes are "
                                         r"counts; use None for a size not known yet\)$"):
        TensorShape([2, -1])


def test_ranks_as_tensorflow_checks_them():
    s = TensorShape([2, 3])
    assert s.is_compatible_with(UNKNOWN) and s.is_compatible_with([None, 3])
    assert not s.is_compatible_with([2]) and not s.is_compatible_with([2, 4])
    assert s.with_rank(2) is s
    assert s.assert_has_rank(2) is None
    for check in (s.with_rank, s.assert_has_rank):
        with pytest.raises(ValueError, match=r"^Shape \(2, 3\) must have rank 1$"):
            check(1)
    assert s.assert_same_rank(UNKNOWN) is None
    assert s.assert_same_rank([5, None]) is None
    with pytest.raises(ValueError, match=r"^Shapes \(2, 3\) and \(2,\) must have the same rank$"):
        s.assert_same_rank([2])


def test_equality_and_concatenation_with_tuples_and_lists():
    s = TensorShape([2, 3])
    assert (s != (2, 3)) is False and (s != [2, 4]) is True and (s != "x") is True
    assert (s != TensorShape([2, 3])) is False and (s != TensorShape([2, 4])) is True
    assert s + [None] == [2, 3, None] and isinstance(s + [None], TensorShape)
    assert [1] + TensorShape([2]) == [1, 2] and isinstance([1] + TensorShape([2]), TensorShape)
    # TensorFlow 2's repr (TF-1's writes Dimension(2), Dimension(None))
    assert repr(TensorShape([2, None])) == "TensorShape([2, None])"
    assert (s.num_elements(), TensorShape([2, None]).num_elements(),
            TensorShape([]).num_elements()) == (6, None, 1)


def test_the_shape_of_unknown_rank():
    assert UNKNOWN.ndims is None and UNKNOWN.dims is None
    with pytest.raises(ValueError, match=r"^as_list\(\) is not defined on an unknown "
                                         r"TensorShape\.$"):
        UNKNOWN.as_list()
    assert UNKNOWN.is_fully_defined() is False
    assert UNKNOWN.is_compatible_with([2, 3]) is True
    assert UNKNOWN.merge_with([2, None]) == [2, None]
    assert UNKNOWN.with_rank(2) == [None, None]
    assert (UNKNOWN != TensorShape(None), UNKNOWN != TensorShape([2])) == (False, True)
    assert repr(UNKNOWN) == "TensorShape(None)" and str(UNKNOWN) == "<unknown>"
    assert UNKNOWN.concatenate([2]) is UNKNOWN and TensorShape([2]).concatenate(UNKNOWN) is UNKNOWN


def test_unknown_dims_says_whether_a_size_is_not_known():
    assert unknown_dims(TensorShape([2, 3])) is False
    assert unknown_dims(TensorShape([2, None])) is True
    assert unknown_dims(UNKNOWN) is True
    with tg.Graph().as_default():
        assert unknown_dims(tg.placeholder(tg.float32, [None, 2]).shape)
        assert not unknown_dims(tg.placeholder(tg.float32, [1, 2]).shape)
