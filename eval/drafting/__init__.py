"""The drafting set and its scorer: real 复函 of corpus-dev turned into draft cases (see cases.py, score.py)."""
