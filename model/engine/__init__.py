"""The model's mechanics as kernels over plain numbers and arrays, shared by the Mesa model and the compiled runner.

Every kernel is written once (:mod:`model.engine.jit`): the compiled
runner runs whole runs with the compiled kernels, and the Mesa model's
agents call the same kernels, so both paths give the same outcome for the
same scenario, overrides and seed.
"""
