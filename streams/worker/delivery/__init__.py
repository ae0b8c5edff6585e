"""Delivery guarantees of the worker: the patches to Faust's consumer, producer and transactions.

Every use of Faust's (and aiokafka's) private internals lives in this sub-package; a change here
touches how records are read, sent and committed, never what the worker computes.
"""
