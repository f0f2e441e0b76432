"""Calibration of a scenario to the record of what happened: target files, ABC-SMC, posterior and checks."""
