"""Candidate sampling: TensorFlow 1's ``tf.nn.log_uniform_candidate_sampler``,
``uniform_candidate_sampler``, and the two losses trained on sampled classes, ``tf.nn.nce_loss``
(word2vec's) and ``tf.nn.sampled_softmax_loss``.

With many classes (a vocabulary), a loss over all of them is costly; these losses score the true
classes and a few classes drawn at each run, and correct for how likely each was to be drawn
(subtracting log of its expected count).
"""

import numpy as np

from .. import ops
from ..errors import ShapeError
from ..core.primitive import apply
from ..core.program_graph import name_scope
from ..core.tensor import as_tensor, constant, named
from .array_ops import gather
from .math_ops import (cast, concat, equal, exp, expand_dims, log, log1p, matmul,
                       ones_like, reduce_any, reduce_sum, reshape, stop_gradient, where,
                       zeros_like)
from .nn_ops import sigmoid_cross_entropy_with_logits, softmax_cross_entropy_with_logits_v2
from .random_ops import random_seed

__all__ = ["log_uniform_candidate_sampler", "uniform_candidate_sampler", "nce_loss",
           "sampled_softmax_loss"]


def _sampler(distribution, true_classes, num_true, num_sampled, unique, range_max, seed, name,
             what):
    true_classes = as_tensor(true_classes)
    if true_classes.dtype.as_numpy_dtype().dtype.kind not in "iu":
        raise TypeError(f"{what}: true_classes of dtype {true_classes.dtype.name}: expected "
                        "integer class ids (int64)")
    if true_classes.shape.ndims not in (None, 2) or (
            true_classes.shape.ndims == 2 and tuple(true_classes.shape)[1] not in (None,
                                                                                   num_true)):
        raise ShapeError(f"{what}: true_classes of shape {true_classes.shape}: expected "
                         f"[batch_size, num_true] with num_true={num_true}")
    num_sampled, range_max = int(num_sampled), int(range_max)
    if num_sampled < 1 or range_max < 1:
        raise ValueError(f"{what}: num_sampled={num_sampled}, range_max={range_max}: both must "
                         "be at least 1")
    if unique and num_sampled > range_max:
        raise ValueError(f"{what}: Sampler's range is too small: {num_sampled} unique classes "
                         f"asked of range_max={range_max}")
    with name_scope(name, "LogUniformCandidateSampler" if distribution == "log_uniform"
                    else "UniformCandidateSampler"):
        drawn = apply(ops.candidate_sampler, num_sampled=num_sampled, range_max=range_max,
                      unique=bool(unique), distribution=distribution, dtype=np.dtype(np.int64),
                      seed=random_seed(seed))
        sampled = named(drawn[:num_sampled], "sampled_candidates")
        # in float64, then float32 as TensorFlow returns them (1 − e^x loses digits in float32)
        tries = cast(drawn[num_sampled], np.float64)
        classes = [cast(true_classes, np.float64), cast(sampled, np.float64)]
        if distribution == "log_uniform":
            scale = float(np.log1p(range_max))
            probabilities = [log((c + 2.0) / (c + 1.0)) / scale for c in classes]
        else:
            probabilities = [ones_like(c) / float(range_max) for c in classes]
        # TensorFlow's expected count of a class in the draws: p·num_sampled when every draw
        # was kept, else 1 − (1 − p)^tries, the chance it came up at least once
        counts = [cast(p * float(num_sampled) if not unique else 1.0 - exp(tries * log1p(-p)),
                       np.float32) for p in probabilities]
    return sampled, named(counts[0], "true_expected_count"), named(counts[1],
                                                                   "sampled_expected_count")


def log_uniform_candidate_sampler(true_classes, num_true, num_sampled, unique, range_max,
                                  seed=None, name=None):
    """``num_sampled`` class ids drawn from [0, range_max) at each run, class c with probability
    log((c + 2) / (c + 1)) / log(range_max + 1) (Zipf's law: small ids, frequent words, come
    up most), all different when ``unique``. Returns ``(sampled_candidates,
    true_expected_count, sampled_expected_count)``: the ids (int64) and how often each true and
    each sampled class is expected among the draws (float32).

    >>> import teachgrad as tf
    >>> with tf.Graph().as_default():
    ...     sampled, true_count, sampled_count = tf.nn.log_uniform_candidate_sampler(
    ...         true_classes=tf.constant([[0], [3]], tf.int64), num_true=1, num_sampled=4,
    ...         unique=False, range_max=10, seed=1)
    ...     with tf.Session() as sess:
    ...         sess.run(true_count)
    array([[1.1562593 ],
           [0.37223235]], dtype=float32)
    """
    return _sampler("log_uniform", true_classes, num_true, num_sampled, unique, range_max, seed,
                    name, "log_uniform_candidate_sampler")


def uniform_candidate_sampler(true_classes, num_true, num_sampled, unique, range_max, seed=None,
                              name=None):
    """As :func:`log_uniform_candidate_sampler`, every class equally likely (1 / range_max).

    >>> import teachgrad as tf
    >>> with tf.Graph().as_default():
    ...     sampled, _, counts = tf.nn.uniform_candidate_sampler(
    ...         [[0]], num_true=1, num_sampled=3, unique=False, range_max=10, seed=1)
    ...     with tf.Session() as sess:
    ...         sess.run(counts)
    array([0.3, 0.3, 0.3], dtype=float32)
    """
    return _sampler("uniform", true_classes, num_true, num_sampled, unique, range_max, seed, name,
                    "uniform_candidate_sampler")


def _class_rows(weights, what):
    """The class embeddings: a tensor [num_classes, dim], or a list of one."""
    if isinstance(weights, (list, tuple)):
        if len(weights) != 1:
            raise ValueError(f"{what}: weights given as {len(weights)} shards; only one tensor "
                             "(or a list of one) of shape [num_classes, dim] is supported")
        weights = weights[0]
    return as_tensor(weights)


def _sampled_logits(weights, biases, labels, inputs, num_sampled, num_classes, num_true,
                    sampled_values, remove_accidental_hits, seed, what):
    weights = _class_rows(weights, what)
    biases, inputs = as_tensor(biases), as_tensor(inputs)
    labels = as_tensor(labels)
    if labels.dtype.as_numpy_dtype().dtype != np.int64:
        labels = cast(labels, np.int64)
    if inputs.shape.ndims != 2:
        raise ShapeError(f"{what}: inputs of shape {inputs.shape}: expected [batch_size, dim]")
    if sampled_values is None:
        sampled_values = log_uniform_candidate_sampler(labels, num_true, num_sampled, True,
                                                       num_classes, seed=seed)
    sampled, true_count, sampled_count = (stop_gradient(as_tensor(v)) for v in sampled_values)
    sampled = cast(sampled, np.int64) if sampled.dtype.as_numpy_dtype().dtype != np.int64 \
        else sampled
    dim = tuple(inputs.shape)[1]
    flat = reshape(labels, [-1])
    true_w = reshape(gather(weights, flat), [-1, num_true, dim if dim is not None else -1])
    true_logits = reduce_sum(expand_dims(inputs, 1) * true_w, axis=2) \
        + reshape(gather(biases, flat), [-1, num_true])
    sampled_logits = matmul(inputs, gather(weights, sampled), transpose_b=True) \
        + gather(biases, sampled)
    if remove_accidental_hits:   # a drawn class that is a true class counts for nothing
        hits = reduce_any(equal(expand_dims(labels, 2), reshape(sampled, [1, 1, -1])), axis=1)
        lowest = constant(-np.finfo(np.float32).max, dtype=sampled_logits.dtype)
        sampled_logits = sampled_logits + where(hits, lowest + zeros_like(sampled_logits),
                                                zeros_like(sampled_logits))
    # each class's logit less log of its expected count: the correction for how often it is drawn
    true_logits = true_logits - log(true_count)
    sampled_logits = sampled_logits - log(sampled_count)
    logits = concat([true_logits, sampled_logits], 1)
    targets = concat([ones_like(true_logits) / float(num_true), zeros_like(sampled_logits)], 1)
    return logits, targets


def nce_loss(weights, biases, labels, inputs, num_sampled, num_classes, num_true=1,
             sampled_values=None, remove_accidental_hits=False, partition_strategy="mod",
             name="nce_loss"):
    """The noise-contrastive estimation loss of each example (word2vec's): a logistic loss for
    telling its ``num_true`` true classes (``labels``, [batch, num_true] ids) from
    ``num_sampled`` classes drawn log-uniformly at each run (or given as ``sampled_values``,
    a sampler's three results). ``weights`` [num_classes, dim] and ``biases`` [num_classes]
    score a class for ``inputs`` [batch, dim]. Returns [batch] losses.

    >>> import numpy as np, teachgrad as tf
    >>> with tf.Graph().as_default():
    ...     W = tf.constant(np.arange(20, dtype=np.float32).reshape(5, 4) / 10)
    ...     loss = tf.nn.nce_loss(W, tf.zeros([5]), tf.constant([[1]]), [[1.0, 0.0, -1.0, 2.0]],
    ...                           num_sampled=2, num_classes=5, sampled_values=(
    ...                               [2, 0], [[0.5]], [0.5, 0.5]))
    ...     with tf.Session() as sess:
    ...         sess.run(loss)
    array([4.281103], dtype=float32)
    """
    with name_scope(name, "nce_loss"):
        logits, targets = _sampled_logits(weights, biases, labels, inputs, num_sampled,
                                          num_classes, num_true, sampled_values,
                                          remove_accidental_hits, None, "nce_loss")
        losses = sigmoid_cross_entropy_with_logits(labels=targets, logits=logits)
        return reduce_sum(losses, axis=1)


def sampled_softmax_loss(weights, biases, labels, inputs, num_sampled, num_classes, num_true=1,
                         sampled_values=None, remove_accidental_hits=True,
                         partition_strategy="mod", name="sampled_softmax_loss", seed=None):
    """The softmax cross-entropy of each example over its true classes and ``num_sampled``
    classes drawn at each run, an estimate of the full softmax loss for training; a drawn class
    that is a true one is left out (``remove_accidental_hits``). Arguments as
    :func:`nce_loss`; returns [batch] losses.

    >>> import numpy as np, teachgrad as tf
    >>> with tf.Graph().as_default():
    ...     W = tf.constant(np.arange(20, dtype=np.float32).reshape(5, 4) / 10)
    ...     loss = tf.nn.sampled_softmax_loss(W, tf.zeros([5]), tf.constant([[1]]),
    ...                                       [[1.0, 0.0, -1.0, 2.0]], num_sampled=2,
    ...                                       num_classes=5, sampled_values=(
    ...                                           [2, 0], [[0.5]], [0.5, 0.5]))
    ...     with tf.Session() as sess:
    ...         sess.run(loss)
    array([1.3015177], dtype=float32)
    """
    with name_scope(name, "sampled_softmax_loss"):
        logits, targets = _sampled_logits(weights, biases, labels, inputs, num_sampled,
                                          num_classes, num_true, sampled_values,
                                          remove_accidental_hits, seed, "sampled_softmax_loss")
        return softmax_cross_entropy_with_logits_v2(labels=stop_gradient(targets),
                                                    logits=logits)
