"""Entry point of a sandboxed grading kernel: set resource limits, then start ipykernel.

Run by the grader inside the sandbox (``autograder/sandbox.py``) as
``python -m autograder.kernel -f CONNECTION_FILE``. The limits come from environment
variables the grader sets (``AUTOGRADER_CPU`` seconds of CPU, ``AUTOGRADER_FILE_SIZE`` bytes per file written,
``AUTOGRADER_PROCESSES``); a limit the kernel exceeds ends in ``MemoryError``, a killed kernel
or a failed write, never in a stalled grader. Before any student code the kernel runs
:func:`autograder.guard.install` (IPython's ``exec_lines``), which also caps the address
space: ``AUTOGRADER_MEMORY`` bytes on top of what the kernel uses once torch is imported, so
the cap means the same for a cold kernel and one forked warm (``autograder/zygote.py``).
"""

import os
import resource
import sys

LIMITS = {
    "AUTOGRADER_CPU": resource.RLIMIT_CPU,
    "AUTOGRADER_FILE_SIZE": resource.RLIMIT_FSIZE,
    "AUTOGRADER_PROCESSES": resource.RLIMIT_NPROC,
}


def cap_memory(extra: int) -> None:
    """Limit the address space to its current size plus ``extra`` bytes (soft = hard)."""
    with open("/proc/self/status") as status:
        size = next(int(line.split()[1]) * 1024 for line in status if line.startswith("VmSize:"))
    resource.setrlimit(resource.RLIMIT_AS, (size + extra, size + extra))


def set_limits(environ=os.environ) -> None:
    """Apply the limits named in ``environ``; core dumps are always off."""
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    for key, which in LIMITS.items():
        value = environ.pop(key, None)
        if value:
            resource.setrlimit(which, (int(value), int(value)))


def main() -> None:
    set_limits()
    from ipykernel.kernelapp import IPKernelApp

    argv = [*sys.argv[1:], "--IPKernelApp.exec_lines=["
            "\"__import__('autograder.guard').guard.install()\"]",
            "--HistoryManager.enabled=False", "--IPKernelApp.log_level=CRITICAL"]
    IPKernelApp.launch_instance(argv=argv)


if __name__ == "__main__":
    main()
