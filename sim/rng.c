/* rng: stream seeding by hashing (master, replication, purpose, index) with SplitMix64 (Steele,
 * Lea and Flood, "Fast splittable pseudorandom number generators", OOPSLA 2014).  Chaining the
 * finalizer over the four inputs makes neighbouring replications and purposes land on unrelated
 * seeds. */
#include "rng.h"

#include "util.h"

uint64_t rng_mix64(uint64_t x)
{
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

uint64_t rng_stream_seed(uint64_t master, uint64_t rep, unsigned purpose, uint64_t index)
{
    uint64_t h = rng_mix64(master);
    h = rng_mix64(h ^ rep);
    h = rng_mix64(h ^ (uint64_t)purpose);
    h = rng_mix64(h ^ index);
    return h;
}

double rng_contact_uniform(uint64_t master, uint64_t rep, unsigned purpose, uint64_t contact,
                           uint64_t k)
{
    uint64_t h = rng_mix64(rng_stream_seed(master, rep, purpose, contact) ^ rng_mix64(k));
    /* 53 random bits, offset by half a step so the result is never 0 or 1. */
    return ((double)(h >> 11) + 0.5) * 0x1.0p-53;
}

gsl_rng *rng_alloc(void)
{
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    if (r == NULL) die("out of memory allocating a random stream");
    return r;
}

void rng_seed_stream(gsl_rng *r, uint64_t master, uint64_t rep, unsigned purpose, uint64_t index)
{
    uint64_t h = rng_stream_seed(master, rep, purpose, index);
    /* MT19937 uses the low 32 bits; fold the high half in so all 64 bits of the hash matter. */
    gsl_rng_set(r, (unsigned long)((h ^ (h >> 32)) & 0xffffffffULL));
}
