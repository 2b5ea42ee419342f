/* rng: one GSL generator per (master seed, replication, purpose, index).  Each stream's seed is a
 * SplitMix64 hash of those four numbers, so a replication's draws depend on nothing else: not on
 * the thread or rank that runs it, nor on how many other streams exist.  Streams are MT19937
 * (GSL), whose seeding takes 32 bits: two of N streams share a seed with probability about
 * N^2 / 2^33, negligible for the few streams a replication uses (see docs/design.md). */
#ifndef CCSIM_RNG_H
#define CCSIM_RNG_H

#include <gsl/gsl_rng.h>
#include <stdint.h>

/* What a stream is for.  Appending a purpose keeps every existing stream unchanged; renumbering
 * one changes every result (tests/unit/test_rng.c pins the first draws). */
enum rng_purpose {
    RNG_ARRIVALS = 0, /* inter-arrival times, index = channel * n_segments + segment */
    RNG_SERVICE = 1,  /* work content drawn at arrival, index = channel */
    RNG_PATIENCE = 2, /* patience drawn at arrival, index = channel */
    RNG_EXCHANGES = 3, /* messaging: agent replies per conversation, index = channel */
    RNG_REPLY = 4,    /* messaging: customer-away times, index = channel */
    RNG_SELF_SERVICE = 5, /* self-service time and outcome, index = arrival channel */
    RNG_BALK = 6,     /* balking decision, index = arrival channel */
    RNG_BUSYNESS = 7, /* day busyness factors, index = busyness group */
    RNG_WRAPUP = 8,   /* after-contact work, index = channel */
    RNG_ABSENCE = 9,  /* who is absent today, index = group */
    RNG_SHRINKAGE = 10, /* phase of each agent's shrinkage, index = group */
    RNG_TRANSFER = 11, /* transfer decision and the new leg's work and patience (per contact) */
    RNG_JOURNEY = 12, /* retrial, repeat, resolution, callback-acceptance and churn decisions
                       * and delays (per contact) */
    RNG_FOLLOWUP = 13, /* work, patience and self-service of retrials, repeats and incident
                        * contacts (per contact) */
    RNG_CALLBACK = 14, /* whether each callback call reaches the customer (per contact and try) */
    RNG_INCIDENT = 15, /* incident arrivals, index = incident * n_channels + channel */
    RNG_TRACE = 16,    /* replay: the unlogged patience or handle time of a logged contact
                        * (per contact) */
    RNG_N_PURPOSES
};

/* SplitMix64 finalizer: a bijection on 64-bit words with good avalanche. */
uint64_t rng_mix64(uint64_t x);

/* The seed of stream (master, rep, purpose, index). */
uint64_t rng_stream_seed(uint64_t master, uint64_t rep, unsigned purpose, uint64_t index);

/* A uniform in (0, 1) that belongs to one contact: a hash of (master, rep, purpose, contact id,
 * k), so it does not depend on when or in which order it is asked for.  Used for randomness
 * drawn after arrival (wrap-up, later messaging exchanges), which would otherwise shift with
 * staffing. */
double rng_contact_uniform(uint64_t master, uint64_t rep, unsigned purpose, uint64_t contact,
                           uint64_t k);

/* Caller owns the generator (gsl_rng_free). */
gsl_rng *rng_alloc(void);
/* Re-seeds r as stream (master, rep, purpose, index). */
void rng_seed_stream(gsl_rng *r, uint64_t master, uint64_t rep, unsigned purpose,
                     uint64_t index);

#endif
