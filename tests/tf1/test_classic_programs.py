"""Eleven complete TF-1 programs in the style of the classic tutorials — aymericdamien's
TensorFlow-Examples, TensorFlow 1.x's guides, Stanford's CS20SI — each run end to end with
``import teachgrad as tf`` and compared with what TensorFlow itself computes for it.

The programs are files in ``tests/tf1/classic_programs/`` (``p01_…py`` to ``p11_…py``), each a script as
a student would write it, leaving what it found in ``RESULTS``. ``EXPECTED`` below was read off
``tensorflow.compat.v1`` (TensorFlow 2.21 with ``disable_v2_behavior()``, ``tf_keras`` for
``tf.layers``) by running the same files there: ``tests/tf1/classic_programs/read_off_tensorflow.py``
swaps the import line and prints this dictionary. Randomness is kept out of the numbers (seeded
NumPy data and starting weights; dropout's ``keep_prob`` fed 1.0 where numbers are compared), so
the two must agree to float32 rounding.
"""

import math
import pathlib
import runpy

import numpy as np
import pytest

import teachgrad as tf

PROGRAMS = pathlib.Path(__file__).resolve().parent / "classic_programs"


def run_program(name, folder):
    """Run ``classic_programs/<name>.py`` in a new default graph (and ``folder`` for its files);
    return its ``RESULTS``."""
    tf.reset_default_graph()
    namespace = runpy.run_path(str(PROGRAMS / f"{name}.py"),
                               init_globals={"WORKDIR": str(folder)}, run_name="__main__")
    return namespace["RESULTS"]


def assert_close(got, want, rtol, atol, where="RESULTS"):
    """``got`` (NumPy values welcome) matches ``want`` (plain Python, as read off TensorFlow):
    numbers to ``rtol``/``atol``, everything else exactly."""
    if isinstance(want, dict):
        assert isinstance(got, dict) and sorted(got) == sorted(want), where
        for key in want:
            assert_close(got[key], want[key], rtol, atol, f"{where}[{key!r}]")
        return
    if isinstance(got, (np.ndarray, np.generic)):
        got = got.tolist()
    if isinstance(got, bytes):
        got = got.decode()
    if isinstance(want, list):
        assert isinstance(got, (list, tuple)) and len(got) == len(want), (where, got, want)
        for k, (g, w) in enumerate(zip(got, want)):
            assert_close(g, w, rtol, atol, f"{where}[{k}]")
        return
    if isinstance(want, float) or (isinstance(want, int) and not isinstance(want, bool)
                                   and isinstance(got, float)):
        assert isinstance(got, (int, float)) and not isinstance(got, bool), (where, got)
        assert math.isclose(got, want, rel_tol=rtol, abs_tol=atol), (where, got, want)
        return
    assert got == want and type(got) is type(want), (where, got, want)


# Tolerances: float32 sums in another order drift by a few ulps per step; a training run of
# hundreds of steps keeps that within 1e-4 relative (the near-zero losses need an absolute one).
TOLERANCE = {"p02_linear_regression": (1e-4, 1e-6), "p08_dataset_input_loop": (1e-3, 1e-7)}


@pytest.mark.parametrize("name", [
    "p01_getting_started", "p02_linear_regression", "p03_logistic_regression",
    "p04_multilayer_perceptron",
    "p05_convolutional_network",
    "p06_nearest_neighbor",
    "p07_variable_sharing", "p08_dataset_input_loop", "p09_save_restore",
])
def test_program_computes_what_tensorflow_1_computes(name, tmp_path):
    got = run_program(name, tmp_path)
    rtol, atol = TOLERANCE.get(name, (1e-4, 1e-6))
    assert_close(got, EXPECTED[name], rtol, atol)


def test_tensorboard_program_writes_what_tensorboard_reads(tmp_path):
    """p10 writes its graph and its scalars with a FileWriter: TensorBoard's own reader finds
    the same scalar values, at the same steps, under the same tags as in TensorFlow's event
    file, and the same graph (every node outside the optimizer, by name and op type)."""
    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator
    got = run_program("p10_tensorboard", tmp_path)
    want = dict(EXPECTED["p10_tensorboard"])
    events = EventAccumulator(got.pop("logdir"))
    events.Reload()
    got["scalars"] = {tag: [[e.step, e.value] for e in events.Scalars(tag)]
                      for tag in events.Tags()["scalars"]}
    got["graph"] = [[n.name, n.op] for n in events.Graph().node if not n.name.startswith("SGD/")]
    assert events.Tags()["graph"] and events.Tags()["meta_graph"]
    # The one difference: teachgrad's tf.nn.softmax is these ops (exp(x - max) / sum), where
    # TensorFlow 1 has one Softmax op (see the differences in GUIDE.md / the closing note).
    want["graph"] = list(want["graph"])
    k = want["graph"].index(["Model/Softmax", "Softmax"])
    want["graph"][k:k + 1] = [
        ["Model/Max/reduction_indices", "Const"], ["Model/Max", "Max"],
        ["Model/StopGradient", "StopGradient"], ["Model/sub", "Sub"], ["Model/Exp", "Exp"],
        ["Model/Sum/reduction_indices", "Const"], ["Model/Sum", "Sum"],
        ["Model/truediv", "RealDiv"]]
    assert_close(got, want, 1e-4, 1e-6)


def test_control_flow_program(tmp_path):
    got = run_program("p11_control_flow", tmp_path)
    assert_close(got, EXPECTED["p11_control_flow"], 1e-4, 1e-6)


EXPECTED = {'p01_getting_started': {'total': 7.0,
                         'ab': [3.0, 4.0],
                         'z1': 7.5,
                         'z2': [3.0, 7.0],
                         'first_loss': 10.375,
                         'loss_10': 0.5487014,
                         'last_loss': 0.1690026,
                         'y_pred': [[-0.6618109], [-1.320693], [-1.979574], [-2.638456]],
                         'kernel': [[-0.6588818]],
                         'bias': [-0.002929119],
                         'variables': ['dense/kernel:0', 'dense/bias:0'],
                         'names': ['add:0',
                                   'add_1:0',
                                   'dense/BiasAdd:0',
                                   'mean_squared_error/value:0']},
 'p02_linear_regression': {'costs': [0.2131375, 0.197407, 0.1834935, 0.1711865],
                           'training_cost': 0.1711865,
                           'testing_cost': 0.1499775,
                           'W': 0.4212244,
                           'b': -0.4332332},
 'p03_logistic_regression': {'epoch_costs': [0.4450023,
                                             0.1795119,
                                             0.1413113,
                                             0.1231107,
                                             0.1120391,
                                             0.1044049,
                                             0.09871461,
                                             0.09424187,
                                             0.09058894,
                                             0.08751887,
                                             0.08488125,
                                             0.08257563,
                                             0.08053213,
                                             0.07870048,
                                             0.07704337],
                             'accuracy': 0.9333333,
                             'W': [[1.822294, -0.840349, -0.9819447],
                                   [-0.5363194, 1.436878, -0.9005591],
                                   [-0.9136995, -0.9975212, 1.911219],
                                   [1.048415, -1.441608, 0.3931924]],
                             'b': [-0.1655672, 0.01892143, 0.1466459]},
 'p04_multilayer_perceptron': {'losses': [0.7580304, 0.06411734, 0.0128453, 0.004588365],
                               'accuracy': 1.0,
                               'out_weights': [[0.5181542, 0.1009399],
                                               [0.3879207, 0.4456952],
                                               [0.1118022, 0.7401972],
                                               [0.2138573, -1.286631],
                                               [-0.4395134, -0.4629604],
                                               [-0.3681022, 0.004574634],
                                               [0.330715, -0.3300528],
                                               [-1.711456, 1.783773],
                                               [0.8215429, -0.7487565],
                                               [0.5945734, -1.39091],
                                               [-0.8781475, 0.8334655],
                                               [0.1648451, 0.05658806],
                                               [-0.9296284, 1.286785],
                                               [-0.5912513, -0.9109921],
                                               [-0.6457494, 0.07709974],
                                               [0.1369278, -0.1655336]],
                               'dropout_values': [0.0, 2.0],
                               'dropout_kept_about_half': True},
 'p05_convolutional_network': {'losses': [0.7143496, 0.4690779, 0.2325887, 0.07016489, 0.01699577],
                               'accuracy': 1.0,
                               'conv_kernel': [[[[0.2381384, -0.2307298, 0.2037402, 0.1526007]],
                                                [[-0.1882197, -0.5108541, -0.627288, 0.4912797]],
                                                [[-0.03162845, 0.5364723, 0.01145175, 0.4736068]]],
                                               [[[-0.4044521, -0.1137407, -0.4184404, -0.1652215]],
                                                [[0.6695409, -0.5259541, 0.3319908, 0.2668546]],
                                                [[-0.248584, 0.123281, -0.2578215, 0.2342309]]],
                                               [[[0.001288954, -0.1295336, 0.2453393, -0.1517626]],
                                                [[0.2159916, 0.2064318, 0.2930139, 0.04548125]],
                                                [[0.2094052, 0.9126738, 0.2323524, 0.1344215]]]],
                               'logits_shape': [None, 2],
                               'dropout_changes_the_loss': True},
 'p06_nearest_neighbor': {'nearest': [52,
                                      39,
                                      4,
                                      40,
                                      8,
                                      26,
                                      0,
                                      4,
                                      1,
                                      24,
                                      50,
                                      21,
                                      23,
                                      9,
                                      40,
                                      0,
                                      19,
                                      1,
                                      23,
                                      50,
                                      0,
                                      52,
                                      36,
                                      16,
                                      46],
                          'accuracy': 0.92,
                          'pred_dtype': 'int64',
                          'first_distances': [9.233297, 3.084565, 9.386195, 11.09356, 6.169742]},
 'p07_variable_sharing': {'variables': ['model/conv1/weights:0',
                                        'model/conv1/biases:0',
                                        'model/conv2/weights:0',
                                        'model/conv2/biases:0'],
                          'output_names': ['model/conv2/Relu:0',
                                           'model/conv2_1/Relu:0',
                                           'model_2/conv2/Relu:0'],
                          'out1_sum': 23.6175,
                          'out2_sum': 24.4547,
                          'out2_equals_out3': True,
                          'doubled_sum': 47.235,
                          'error': 'Variable model/conv1/weights already exists, disallowed'},
 'p08_dataset_input_loop': {'epoch_losses': [4.182698,
                                             0.6947488,
                                             0.1527316,
                                             0.03979959,
                                             0.01127569,
                                             0.003313327,
                                             0.0009889069,
                                             0.0002971899,
                                             8.960299e-05,
                                             2.705793e-05,
                                             8.177938e-06,
                                             2.47245e-06,
                                             7.476857e-07,
                                             2.261627e-07,
                                             6.843468e-08,
                                             2.068534e-08,
                                             6.257336e-09,
                                             1.899605e-09,
                                             5.731651e-10,
                                             1.747322e-10],
                            'steps': 80,
                            'w': [[0.7499964], [-0.9999975], [0.2499991]],
                            'b': 0.3000027,
                            'batch_sizes': [10, 10, 10, 7],
                            'types': ["<dtype: 'float32'>", "<dtype: 'float32'>"],
                            'shapes': [[None, 3], [None, 1]],
                            'X_name': 'IteratorGetNext:0'},
 'p09_save_restore': {'save_path': 'model.ckpt-10',
                      'latest': 'model.ckpt-25',
                      'restored_step': 10,
                      'restored_loss': 0.0750816,
                      'uninterrupted': 0.04963651,
                      'resumed': 0.04963651,
                      'rebuilt_step': 20,
                      'rebuilt_loss': 0.04963651,
                      'saved_variables': ['b1',
                                          'b1/Adam',
                                          'b1/Adam_1',
                                          'b2',
                                          'b2/Adam',
                                          'b2/Adam_1',
                                          'beta1_power',
                                          'beta2_power',
                                          'global_step',
                                          'w1',
                                          'w1/Adam',
                                          'w1/Adam_1',
                                          'w2',
                                          'w2/Adam',
                                          'w2/Adam_1'],
                      'kept': ['model.ckpt-20', 'model.ckpt-25'],
                      'first_still_there': False},
 'p10_tensorboard': {'costs': [1.098612,
                               0.9611715,
                               0.8311924,
                               0.7358627,
                               0.6877807,
                               0.6105585,
                               0.5506719,
                               0.5421309,
                               0.4878698,
                               0.4385339,
                               0.4511775,
                               0.4084491,
                               0.3630979,
                               0.3886277,
                               0.3523419],
                     'accuracy': 1.0,
                     'summary_names': ['loss_1:0', 'accuracy_1:0', 'weights_1:0'],
                     'merged': 'Merge/MergeSummary:0',
                     'scalars': {'loss_1': [[0, 1.098612],
                                            [1, 0.9611715],
                                            [2, 0.8311924],
                                            [3, 0.7358627],
                                            [4, 0.6877807],
                                            [5, 0.6105585],
                                            [6, 0.5506719],
                                            [7, 0.5421309],
                                            [8, 0.4878698],
                                            [9, 0.4385339],
                                            [10, 0.4511775],
                                            [11, 0.4084491],
                                            [12, 0.3630979],
                                            [13, 0.3886277],
                                            [14, 0.3523419]],
                                 'accuracy_1': [[0, 0.45],
                                                [1, 0.95],
                                                [2, 1.0],
                                                [3, 1.0],
                                                [4, 1.0],
                                                [5, 1.0],
                                                [6, 1.0],
                                                [7, 1.0],
                                                [8, 1.0],
                                                [9, 1.0],
                                                [10, 1.0],
                                                [11, 1.0],
                                                [12, 1.0],
                                                [13, 1.0],
                                                [14, 1.0]]},
                     'graph': [['InputData', 'Placeholder'],
                               ['LabelData', 'Placeholder'],
                               ['zeros', 'Const'],
                               ['Weights', 'VariableV2'],
                               ['Weights/Assign', 'Assign'],
                               ['Weights/read', 'Identity'],
                               ['zeros_1', 'Const'],
                               ['Bias', 'VariableV2'],
                               ['Bias/Assign', 'Assign'],
                               ['Bias/read', 'Identity'],
                               ['Model/MatMul', 'MatMul'],
                               ['Model/add', 'AddV2'],
                               ['Model/Softmax', 'Softmax'],
                               ['Loss/Log', 'Log'],
                               ['Loss/mul', 'Mul'],
                               ['Loss/Sum/reduction_indices', 'Const'],
                               ['Loss/Sum', 'Sum'],
                               ['Loss/Neg', 'Neg'],
                               ['Loss/Const', 'Const'],
                               ['Loss/Mean', 'Mean'],
                               ['Accuracy/ArgMax/dimension', 'Const'],
                               ['Accuracy/ArgMax', 'ArgMax'],
                               ['Accuracy/ArgMax_1/dimension', 'Const'],
                               ['Accuracy/ArgMax_1', 'ArgMax'],
                               ['Accuracy/Equal', 'Equal'],
                               ['Accuracy/Cast', 'Cast'],
                               ['Accuracy/Const', 'Const'],
                               ['Accuracy/Mean', 'Mean'],
                               ['init', 'NoOp'],
                               ['loss_1/tags', 'Const'],
                               ['loss_1', 'ScalarSummary'],
                               ['accuracy_1/tags', 'Const'],
                               ['accuracy_1', 'ScalarSummary'],
                               ['weights_1/tag', 'Const'],
                               ['weights_1', 'HistogramSummary'],
                               ['Merge/MergeSummary', 'MergeSummary']]},
 'p11_control_flow': {'last_epoch_loss': 475.8813,
                      'w': 3.114031,
                      'b': 1.128364,
                      'loop_value': 192.0,
                      'loop_grad': 64.0}}
