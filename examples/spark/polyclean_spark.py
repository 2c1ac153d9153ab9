"""Clean a corpus with polyclean on Spark: map -> merge -> apply, the bytes of one machine.

One Spark task per input file pipes the file's records through polyclean on stdin
(`--stdin-name` = the file's path, `--input-index` = its place in the input list), so every
record gets the source, id and position a single-machine run over the same list would give it.

  1. map:    `polyclean hashes`   per file  -> repetition counts
  2. merge:  `polyclean merge`    by Spark's reduce (associative and commutative)
  3. clean:  `polyclean run --counts MERGED --dedup-table T` per file -> records + duplicate table
  4. merge:  the duplicate tables, by reduce
  5. apply:  `polyclean dedup --table MERGED` per file -> OUTPUT/part-00000.jsonl, ...

The parts, concatenated in name order, equal `polyclean run FILES... -o one.jsonl` with the same
options. WORK and OUTPUT must be directories every executor can read and write (the local disk
in local mode; NFS, Lustre or a mounted bucket on a cluster). See docs/scale-out.md.

Usage:
  spark-submit polyclean_spark.py --polyclean /path/to/polyclean --work DIR --output DIR \
      [--option=--dedup --option=--near-dup --option=0.8 ...] FILE...
"""

import argparse
import os
import subprocess
import uuid

from pyspark.sql import SparkSession

# polyclean's exit codes: 0 fine, 3 finished but some records were skipped (reported on
# stderr, which Spark keeps in the executor log). Anything else fails the task.
ACCEPTED_EXIT_CODES = (0, 3)


def polyclean(binary, args, stdin=b""):
    """Run polyclean with `args`, `stdin` piped in; its stdout, or an error naming the command."""
    done = subprocess.run([binary, *args], input=stdin, capture_output=True, check=False)
    if done.returncode not in ACCEPTED_EXIT_CODES:
        raise RuntimeError(
            f"polyclean {' '.join(args)} exited {done.returncode}: "
            f"{done.stderr.decode('utf-8', 'replace')}"
        )
    return done.stdout


def read_bytes(path):
    with open(path, "rb") as f:
        return f.read()


def write_atomically(path, data):
    """A part appears complete or not at all, like polyclean's own outputs."""
    partial = f"{path}.partial-{uuid.uuid4().hex}"
    with open(partial, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    os.replace(partial, path)


def split_policy(options):
    """`--dedup-paragraphs P` goes to the apply step alone: the clean step decides keep-first
    (drop-all cannot read stdin twice), the apply step decides with the complete table."""
    rest, policy = [], []
    it = iter(options)
    for option in it:
        if option == "--dedup-paragraphs":
            policy = [option, next(it, "keep-first")]
        elif option.startswith("--dedup-paragraphs="):
            policy = [option]
        else:
            rest.append(option)
    return rest, policy


def run_job(spark, binary, files, options, work, output):
    sc = spark.sparkContext
    options, policy = split_policy(options)
    os.makedirs(work, exist_ok=True)
    os.makedirs(output, exist_ok=True)
    # One task per file, in input order: the file's index is its place in the whole run.
    tasks = sc.parallelize(list(enumerate(files)), max(1, len(files)))

    def worker_args(index, path):
        return ["--stdin-name", path, "--input-index", str(index)]

    def merge(a, b):
        merged = os.path.join(work, f"merged-{uuid.uuid4().hex}.pctable")
        polyclean(binary, ["merge", a, b, "-o", merged])
        return merged

    # 1-2. Repetition counts, mapped per file and reduced.
    def count(task):
        index, path = task
        table = os.path.join(work, f"counts-{index:05d}.pctable")
        args = ["hashes", "-", *worker_args(index, path), *options, "-q", "-o", table]
        polyclean(binary, args, read_bytes(path))
        return table

    counts = tasks.map(count).reduce(merge)

    # 3-4. Clean with the corpus's counts; each file's duplicate table, reduced.
    def clean(task):
        index, path = task
        cleaned = os.path.join(work, f"clean-{index:05d}.jsonl")
        table = os.path.join(work, f"dedup-{index:05d}.pctable")
        args = ["run", "-", "-o", "-", *worker_args(index, path), "--counts", counts]
        args += ["--dedup-table", table, *options, "-q"]
        write_atomically(cleaned, polyclean(binary, args, read_bytes(path)))
        return (index, cleaned, table)

    cleaned = tasks.map(clean).collect()  # small: paths only
    tables = sc.parallelize([table for _, _, table in cleaned], max(1, len(cleaned)))
    duplicates = tables.reduce(merge)

    # 5. Duplicates decided again with the whole corpus's table.
    def apply(item):
        index, path, _ = item
        part = os.path.join(output, f"part-{index:05d}.jsonl")
        final = polyclean(binary, ["dedup", "--table", duplicates, *policy, "-", "-o", "-"], read_bytes(path))
        write_atomically(part, final)
        return part

    return sc.parallelize(cleaned, max(1, len(cleaned))).map(apply).collect()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--polyclean", required=True, help="path of the polyclean binary")
    parser.add_argument("--work", required=True, help="directory for intermediate files")
    parser.add_argument("--output", required=True, help="directory for the part files")
    parser.add_argument(
        "--option",
        action="append",
        default=[],
        help="an option for every polyclean step (repeat: --option=--dedup --option=--near-dup --option=0.8)",
    )
    parser.add_argument("--master", default=None, help="e.g. local[2]; default: spark-submit's")
    parser.add_argument("files", nargs="+", help="input files, in the order of the single run")
    args = parser.parse_args()
    builder = SparkSession.builder.appName("polyclean")
    if args.master:
        builder = builder.master(args.master)
    spark = builder.getOrCreate()
    try:
        parts = run_job(spark, args.polyclean, args.files, args.option, args.work, args.output)
        print("\n".join(parts))
    finally:
        spark.stop()


if __name__ == "__main__":
    main()
