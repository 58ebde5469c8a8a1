"""Studies: thin orchestration above the engines (loading, chunking, Dask).

* :func:`~.assess.assess` — scenarios side by side (:class:`~tradepact.results.Assessment`)
* :func:`~.simulate.simulate`, :func:`~.simulate.simulate_many` — Monte Carlo
* :func:`~.zopa.find_zopa` — zone of possible agreement and frontier
* :mod:`.tariffs` — the tariff engine on the shipped data (rates, ETRs)
* :mod:`.scale` — chunks in process or on a Dask cluster
"""
