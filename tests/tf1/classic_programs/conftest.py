# The programs here are complete TF-1 scripts that run when imported: only
# tests/tf1/test_classic_programs.py runs them (each in a graph of its own), never collection.
collect_ignore_glob = ["p*.py", "read_off_tensorflow.py"]
