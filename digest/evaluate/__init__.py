"""`digest eval`: run labelled corpus records through parse -> classify -> summarize and score the result.

corpus.py reads the records (and splits them into fixed halves), predict.py runs them through the pipeline's
own stage functions, score.py scores the predictions and report.py prints and writes the results.
"""
