"""The grader's default limits, in one place: what one submission may use.

``python -m autograder grade`` (``__main__.py``), :class:`autograder.batch.Grader` and
:class:`autograder.execute.GuardedExecute` all take their defaults from here, so the command
line, the Python API and the executor cannot disagree. Each is a ceiling on one submission's
kernel (or on what the grader reads of it), so that no submission can stall the batch or fill
the grader's memory or disk; ``autograder/README.md`` ("Limits") says what happens at each.
"""

#: Bytes in a gibibyte (the unit of ``--memory-gib``).
GiB = 1024**3

#: Seconds one notebook may run in all, every cell included (``--wall``). Past it the sandbox
#: is killed and every test cell not yet run scores 0. The kernel's CPU-time rlimit is twice
#: this. Each cell also has nbgrader's own ``ExecutePreprocessor.timeout``.
WALL_SECONDS = 300

#: Address space a kernel may add to what it uses once torch is imported, in GiB
#: (``--memory-gib``); a larger allocation raises ``MemoryError`` inside the kernel.
MEMORY_GIB = 4
MEMORY_BYTES = MEMORY_GIB * GiB

#: Characters of output one cell may produce (text, images, every output together); the rest
#: is dropped while it arrives, and the notebook flagged.
CELL_OUTPUT_CHARS = 5_000_000

#: Characters of output one notebook may produce in all cells together, likewise.
NOTEBOOK_OUTPUT_CHARS = 50_000_000

#: Bytes one file written by the kernel may reach (``RLIMIT_FSIZE``).
FILE_BYTES = 100 * 1024**2

#: Processes and threads the kernel's user may have (``RLIMIT_NPROC``); set only when the
#: grader is root and the kernel runs as ``nobody``, so the cap cannot hit the grader's user.
PROCESSES = 512

#: Bytes of a submitted notebook that staging still reads (other files are bounded by
#: nbgrader's ``CourseDirectory.max_file_size``); a larger notebook is left out and graded as
#: the blank one.
NOTEBOOK_BYTES = 100_000_000
