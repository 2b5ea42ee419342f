/* erlang: exact steady-state results for the single queue with Poisson arrivals and exponential
 * service: Erlang B (M/M/n/n), Erlang C (M/M/n) and Erlang A (M/M/n+M, exponential patience).
 * Every computation runs in log space or with scaled recursions, so it stays finite and accurate
 * up to thousands of agents and loads of 2.0 (Erlang A).  Service level everywhere is
 * P(answered within T) over all arrivals; an abandoning contact counts as not answered. */
#ifndef CCSIM_ERLANG_H
#define CCSIM_ERLANG_H

struct erlang_input {
    double arrivals_per_s;  /* lambda, > 0 */
    double aht_s;           /* mean handle time 1/mu, > 0 */
    int agents;             /* n >= 1 */
    double patience_mean_s; /* 1/theta for Erlang A; ignored by B and C */
    double sl_seconds;      /* service-level threshold T >= 0 */
};

struct erlang_metrics {
    double p_wait;         /* P(an arrival finds all agents busy) */
    double p_abandon;      /* P(an arrival abandons); 0 for Erlang C */
    double asa_s;          /* mean wait of answered contacts, s */
    double wait_mean_s;    /* mean wait of all contacts (abandoners: time to abandon), s */
    double service_level;  /* P(answered within sl_seconds) over all arrivals */
    double occupancy;      /* served load / agents */
};

/* Blocking probability B(n, A) of M/M/n/n with offered load A = lambda * aht in Erlangs. */
double erlang_b(int agents, double load_erlangs);

/* Erlang C metrics.  Returns 0, or -1 when load >= agents (no steady state; *out untouched). */
int erlang_c(const struct erlang_input *in, struct erlang_metrics *out);

/* Erlang A metrics (M/M/n+M).  Always has a steady state.  Returns 0. */
int erlang_a(const struct erlang_input *in, struct erlang_metrics *out);

/* The fewest agents (1..max_agents) whose service level is at least target_sl, for model 'c' or
 * 'a'; in->agents is ignored.  Returns the count and fills *out, or -1 when max_agents is not
 * enough. */
int erlang_agents_for_sl(char model, const struct erlang_input *in, double target_sl,
                         int max_agents, struct erlang_metrics *out);

#endif
