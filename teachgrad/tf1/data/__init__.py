"""``tf.data``: input pipelines, as TensorFlow 1 runs them in graph mode.

A :class:`Dataset` describes a sequence of *elements* — a tensor, or a tuple or dict of them —
built from arrays (``from_tensor_slices``, ``from_tensors``, ``range``) and transformed
(``map``, ``batch``, ``shuffle``, ``repeat``, ``take``, …). An iterator reads it inside a program:
``get_next()`` gives tensors that a ``Session.run`` advances by one element — once per run,
however many of them the run fetches, as in TensorFlow — and past the last element a run raises
``tf.errors.OutOfRangeError`` ("End of sequence").

>>> import numpy as np, teachgrad as tf
>>> with tf.Graph().as_default():
...     features = np.arange(10, dtype=np.float32).reshape(5, 2)
...     dataset = tf.data.Dataset.from_tensor_slices((features, np.arange(5))).batch(2)
...     x, y = dataset.make_one_shot_iterator().get_next()
...     with tf.Session() as sess:
...         while True:
...             try:
...                 print(*sess.run([y, tf.reduce_sum(x)]))     # one element per run
...             except tf.errors.OutOfRangeError:
...                 break
[0 1] 6.0
[2 3] 22.0
[4] 17.0

The iterators' state lives in the Session (a new Session starts them again). The dataset's own
ops are not nodes of the program (TensorFlow 1 has ``TensorSliceDataset``, ``BatchDatasetV2``, …
there): the program has the iterator (``OneShotIterator`` or ``Iterator``), ``MakeIterator`` and
``IteratorGetNext``, whose inputs are the tensors the dataset was made from, so a placeholder
fed to ``iterator.initializer`` fills an initializable iterator.

Where things are: ``structure.py`` (elements' nesting and specs), ``dataset.py`` (datasets),
``context.py`` (one pass over a dataset), ``iterator.py`` (the iterators and their ops).
"""

from .dataset import Dataset
from .iterator import (Iterator, get_output_classes, get_output_shapes, get_output_types,
                       make_initializable_iterator, make_one_shot_iterator)

__all__ = ["Dataset", "Iterator", "make_one_shot_iterator", "make_initializable_iterator",
           "get_output_types", "get_output_shapes", "get_output_classes"]
