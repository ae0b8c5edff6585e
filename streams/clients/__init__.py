"""kafka-python tools for the command line: connecting, topic administration, subscribing, reading tallies.

No Faust and no aiokafka here, except :mod:`streams.clients.admin`, which asks
:mod:`streams.worker.tables` for the names of the tables' changelog topics.
"""
