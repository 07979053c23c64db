"""The full-size scripts of Part IV resume where they stopped (issue 15, point 4).

scripts/memory_students.py and scripts/memory_deep.py append one JSON line per finished run
(plrnn_lib.parallel.append_records) and skip stored runs when restarted. Here each script
runs a tiny grid twice: once without interruption, and once restarted on a file cut off
part-way, its last line torn as a kill during a write leaves it. The resumed file must hold
every run exactly once, each with the numbers of the uninterrupted run (every run draws its
own random numbers), and the runs stored before the cut must not be redone.
"""
import json
import subprocess
import sys
from pathlib import Path

import pytest

from plrnn_lib.parallel import append_records, read_records

ROOT = Path(__file__).resolve().parents[1]

TINY = {
    "memory_students.py": ["--steps", "2", "--heads-steps", "2", "--seeds", "1",
                           "--batch-size", "2", "--seq-len", "5", "--groups", "ablation",
                           "heads", "--n-jobs", "1"],
    "memory_deep.py": ["--n-layers", "1", "--d-in", "3", "--d-model", "4", "--n-states", "4",
                       "--length", "8", "--batch-size", "2", "--memories", "1", "5",
                       "--n-jobs", "1"],
}
#: What a run computed (not when): compared between the two files.
RESULT_FIELDS = {"memory_students.py": ("final_loss", "loss_curve"),
                 "memory_deep.py": ("h2", "grad2", "loss")}


def run_script(name, out):
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / name), *TINY[name],
                             "--out", str(out)], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


def test_append_records_cuts_a_torn_line_before_writing(tmp_path):
    path = tmp_path / "runs.jsonl"
    append_records(path, [{"key": "a", "x": 1}])
    with path.open("a") as fh:
        fh.write('{"key": "b", "x"')          # a writer killed mid-line
    assert set(read_records(path)) == {"a"}
    append_records(path, [{"key": "b", "x": 2}, {"key": "c", "x": 3}])
    lines = path.read_text().splitlines()
    assert [json.loads(line)["key"] for line in lines] == ["a", "b", "c"]
    assert read_records(path)["b"]["x"] == 2


def test_append_records_on_a_file_that_is_one_torn_line(tmp_path):
    path = tmp_path / "runs.jsonl"
    path.write_text('{"key": "a"')
    append_records(path, [{"key": "b"}])
    assert path.read_text() == '{"key": "b"}\n'


@pytest.mark.parametrize("name", sorted(TINY))
def test_an_interrupted_script_resumes_without_losing_or_redoing_runs(name, tmp_path):
    whole = tmp_path / "whole.jsonl"
    run_script(name, whole)
    reference = read_records(whole)
    lines = whole.read_text().splitlines()
    assert len(lines) == len(reference) >= 4

    cut = tmp_path / "cut.jsonl"
    kept = lines[: len(lines) // 2]
    cut.write_text("\n".join(kept) + "\n" + lines[len(kept)][:25])   # torn last line
    before = {key: record for key, record in read_records(cut).items()}
    stdout = run_script(name, cut)
    assert f"{len(kept)} " in stdout.splitlines()[0] and f"{len(lines) - len(kept)} to do" \
        in stdout.splitlines()[0]

    resumed_lines = cut.read_text().splitlines()
    resumed = read_records(cut)
    assert len(resumed_lines) == len(resumed) == len(reference)   # each run once, no torn line
    assert set(resumed) == set(reference)
    for key, record in resumed.items():
        for field in RESULT_FIELDS[name]:
            assert record[field] == reference[key][field], (key, field)
    for key, record in before.items():             # stored runs kept as they were
        assert resumed[key] == record
