/* model: lifetime of a model spec, and the per-class tallies turned into metrics.  The metric
 * definitions here are the ones docs/output.md documents; every command uses them. */
#include "model.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

const char *const metric_names[MET_N] = {
    "offered",
    "handled",
    "abandoned",
    "abandon_rate",
    "p_wait",
    "asa_s",
    "wait_mean_s",
    "service_level",
    "service_level_excl_short_abandons",
    "wait_p50_s",
    "wait_p90_s",
    "wait_p99_s",
    "occupancy",
    "overtime_agent_s",
    "slot_utilisation",
    "first_response_s",
    "first_response_service_level",
    "due_met",
    "backlog_start",
    "backlog_end",
    "arrived",
    "deflected",
    "escalated",
    "gave_up_in_self_service",
    "self_service_time_s",
    "balked",
    "blocked",
    "cost",
    "scheduled_agents",
    "staffed_agents",
    "overrun_agent_s",
    "agents",
    "total",
    "utilisation",
    "in_system_end",
    "escalated_handled",
    "escalated_abandoned",
    "interrupted",
    "transferred",
    "retrials",
    "repeats",
    "callbacks_offered",
    "callbacks_accepted",
    "callbacks_reached",
    "callbacks_unreached",
    "callback_wait_s",
    "prevented_by_notice",
    "incident_issues",
    "issues",
    "resolved",
    "gave_up",
    "open_at_end",
    "contacts_per_issue",
    "wait_per_issue_s",
    "time_to_resolution_s",
    "first_contact_resolution",
    "resolution_rate",
    "gave_up_rate",
    "churned",
    "churn_rate",
    "churn_cost",
    "queue_area_contact_s",
    "queue_waits_s",
    "issue_area_issue_s",
    "issue_times_s",
};

static const char *const kind_names[CH_N_KINDS] = {"voice", "chat", "messaging", "email"};

const char *channel_kind_name(enum channel_kind k)
{
    return (int)k >= 0 && k < CH_N_KINDS ? kind_names[k] : "total";
}

int channel_kind_from_name(const char *name)
{
    for (int k = 0; k < CH_N_KINDS; k++)
        if (strcmp(name, kind_names[k]) == 0) return k;
    return -1;
}

int metric_applies(int metric, enum channel_kind kind, int per_interval)
{
    switch (metric) {
    case MET_OVERTIME: return kind == CH_N_KINDS && !per_interval;
    case MET_SLOT_UTIL: return channel_kind_slotted(kind);
    case MET_FIRST_RESPONSE:
    case MET_FIRST_RESPONSE_SL: return kind == CH_MESSAGING;
    case MET_DUE_MET: return kind == CH_EMAIL;
    case MET_BACKLOG_START: return kind == CH_EMAIL && per_interval;
    case MET_BACKLOG_END: return kind == CH_EMAIL;
    case MET_COST_AGENTS:
    case MET_COST_TOTAL: return kind == CH_N_KINDS && !per_interval;
    case MET_SCHEDULED_AGENTS:
    case MET_STAFFED_AGENTS:
    case MET_OVERRUN:
    case MET_UTILISATION: return 0; /* group scopes, written by the report on their own */
    case MET_CB_OFFERED:
    case MET_CB_ACCEPTED:
    case MET_CB_REACHED:
    case MET_CB_UNREACHED:
    case MET_CB_WAIT: return kind == CH_VOICE || kind == CH_N_KINDS;
    }
    if (metric >= MET_ISSUES) return 0; /* journeys and identities, written on their own */
    return 1;
}

const char *model_unstable(const struct model_spec *m, char *buf, size_t cap)
{
    if (m->mode != MODE_STEADY) return NULL;
    for (int c = 0; c < m->n_channels; c++) {
        const struct channel_spec *ch = &m->channels[c];
        if (ch->patience.kind != DIST_NONE || ch->limit_waiting || ch->limit_lines ||
            ch->kind == CH_MESSAGING)
            continue;
        double rate = 0, servers = 0;
        for (int s = 0; s < (m->n_segments > 0 ? m->n_segments : 1); s++)
            rate += ch->rate_per_s[s];
        for (int g = 0; g < m->n_groups; g++)
            for (int k = 0; k < m->groups[g].n_skills; k++)
                if (m->groups[g].skills[k] == c) {
                    servers += m->groups[g].agents[0] *
                               (channel_kind_slotted(ch->kind) ? m->groups[g].concurrency : 1);
                    break;
                }
        double load = rate * dist_mean(&ch->service);
        if (rate > 0 && load >= servers) {
            snprintf(buf, cap, "channel '%s': offered load %.4g erlangs against %g agents (slots) "
                               "and no abandonment: the queue grows without bound; the run stops "
                               "at max_in_system = %lld contacts in the system",
                     ch->name, load, servers, m->max_in_system);
            return buf;
        }
    }
    return NULL;
}

void model_spec_free(struct model_spec *m)
{
    if (m == NULL) return;
    for (int c = 0; c < m->n_channels; c++) {
        free(m->channels[c].name);
        free(m->channels[c].rate_per_s);
        dist_fini(&m->channels[c].service);
        dist_fini(&m->channels[c].patience);
        dist_fini(&m->channels[c].exchanges);
        dist_fini(&m->channels[c].reply_delay);
        dist_fini(&m->channels[c].self_service.time);
        free(m->channels[c].interrupts);
        free(m->channels[c].self_service.label);
        free(m->channels[c].self_service.success);
    }
    free(m->channels);
    for (int g = 0; g < m->n_groups; g++) {
        free(m->groups[g].name);
        free(m->groups[g].agents);
        struct group_spec *gs = &m->groups[g];
        free(gs->skills);
        free(gs->slowdown);
        free(gs->skill_segment);
        free(gs->proficiency);
        free(gs->fcr);
        for (int k = 0; gs->wrapup && k < gs->n_skills; k++)
            dist_fini(&gs->wrapup[k]);
        free(gs->wrapup);
        for (int k = 0; k < gs->n_shifts; k++)
            free(gs->shifts[k].breaks);
        free(gs->shifts);
        for (int k = 0; k < gs->n_templates; k++) {
            free(gs->templates[k].name);
            free(gs->templates[k].breaks);
        }
        free(gs->templates);
    }
    free(m->groups);
    for (int s = 0; s < m->n_segments; s++) {
        free(m->segments[s].name);
        for (int c = 0; c < m->n_channels && m->segments[s].patience; c++)
            dist_fini(&m->segments[s].patience[c]);
        free(m->segments[s].patience);
    }
    free(m->segments);
    for (int b = 0; b < m->n_busyness; b++)
        free(m->busyness[b].name);
    free(m->busyness);
    free(m->effective_config);
    free(m->eligible_after_s);
    free(m->route_order);
    for (int j = 0; j < m->n_journeys; j++) {
        dist_fini(&m->journeys[j].retrial.delay);
        dist_fini(&m->journeys[j].repeat.delay);
        free(m->journeys[j].churn.rows);
    }
    free(m->journeys);
    for (int i = 0; i < m->n_incidents; i++) {
        free(m->incidents[i].name);
        free(m->incidents[i].extra_per_s);
    }
    free(m->incidents);
    memset(m, 0, sizeof *m);
}

void tally_reset(struct tally *t)
{
    memset(t, 0, sizeof *t);
}

void tally_add(struct tally *into, const struct tally *from)
{
    into->arrived += from->arrived;
    into->deflected += from->deflected;
    into->escalated += from->escalated;
    into->gave_up_ss += from->gave_up_ss;
    into->in_ss += from->in_ss;
    into->balked += from->balked;
    into->blocked += from->blocked;
    into->esc_handled += from->esc_handled;
    into->esc_abandoned += from->esc_abandoned;
    into->interrupted += from->interrupted;
    into->transferred += from->transferred;
    into->retrials += from->retrials;
    into->repeats += from->repeats;
    into->cb_offered += from->cb_offered;
    into->cb_accepted += from->cb_accepted;
    into->cb_answered += from->cb_answered;
    into->cb_unreached += from->cb_unreached;
    into->cb_wait_s += from->cb_wait_s;
    into->prevented += from->prevented;
    into->incident_issues += from->incident_issues;
    into->pre_answered += from->pre_answered;
    into->ss_time_s += from->ss_time_s;
    into->cost += from->cost;
    into->offered += from->offered;
    into->handled += from->handled;
    into->abandoned += from->abandoned;
    into->queued += from->queued;
    into->answered += from->answered;
    into->answered_in_sl += from->answered_in_sl;
    into->abandoned_in_sl += from->abandoned_in_sl;
    into->wait_answered_s += from->wait_answered_s;
    into->wait_all_s += from->wait_all_s;
    into->busy_agent_s += from->busy_agent_s;
    into->staffed_agent_s += from->staffed_agent_s;
    into->due_met += from->due_met;
    into->slot_s += from->slot_s;
    into->slot_capacity_s += from->slot_capacity_s;
    into->backlog_start += from->backlog_start;
    into->backlog_end += from->backlog_end;
    hist_merge(&into->wait_answered, &from->wait_answered);
}

/* num / den, undefined (NaN) when there is nothing to divide by. */
static double ratio(double num, double den)
{
    return den > 0 ? num / den : (double)NAN;
}

void tally_metrics(const struct tally *t, enum channel_kind kind, double *v)
{
    double offered = (double)t->offered;
    double finished = (double)(t->answered + t->abandoned);
    v[MET_OFFERED] = offered;
    v[MET_HANDLED] = (double)t->handled;
    v[MET_ABANDONED] = (double)t->abandoned;
    /* A state's contacts already answered before it neither wait nor abandon here. */
    double fresh = offered - (double)t->pre_answered;
    v[MET_ABANDON_RATE] = ratio((double)t->abandoned, fresh);
    v[MET_P_WAIT] = ratio((double)t->queued, fresh);
    v[MET_ASA] = ratio(t->wait_answered_s, (double)t->answered);
    v[MET_WAIT_MEAN] = ratio(t->wait_all_s, finished);
    /* Callback customers do not wait on the line: service level is over those who did. */
    double on_line = fresh - (double)t->cb_accepted;
    v[MET_SL] = ratio((double)t->answered_in_sl, on_line);
    v[MET_SL_EXCL] = ratio((double)t->answered_in_sl, on_line - (double)t->abandoned_in_sl);
    v[MET_WAIT_P50] = hist_quantile(&t->wait_answered, 0.50);
    v[MET_WAIT_P90] = hist_quantile(&t->wait_answered, 0.90);
    v[MET_WAIT_P99] = hist_quantile(&t->wait_answered, 0.99);
    v[MET_OCCUPANCY] = ratio(t->busy_agent_s, t->staffed_agent_s);
    v[MET_OVERTIME] = (double)NAN;
    v[MET_SLOT_UTIL] = ratio(t->slot_s, t->slot_capacity_s);
    /* Messaging's wait is its first-response time, so these restate ASA and service level under
     * the names planners use for that channel. */
    v[MET_FIRST_RESPONSE] = v[MET_ASA];
    v[MET_FIRST_RESPONSE_SL] = v[MET_SL];
    v[MET_DUE_MET] = ratio((double)t->due_met, (double)t->handled);
    v[MET_BACKLOG_START] = t->backlog_start;
    v[MET_BACKLOG_END] = t->backlog_end;
    v[MET_ARRIVED] = (double)t->arrived;
    v[MET_DEFLECTED] = (double)t->deflected;
    v[MET_ESCALATED] = (double)t->escalated;
    v[MET_GAVE_UP_SS] = (double)t->gave_up_ss;
    v[MET_SS_TIME] = ratio(t->ss_time_s, (double)t->in_ss);
    v[MET_BALKED] = (double)t->balked;
    v[MET_BLOCKED] = (double)t->blocked;
    v[MET_COST] = t->cost;
    for (int k = MET_SCHEDULED_AGENTS; k <= MET_UTILISATION; k++)
        v[k] = (double)NAN; /* filled by the simulator for the scopes they belong to */
    v[MET_IN_SYSTEM_END] =
        (double)(t->offered - t->handled - t->abandoned - t->balked - t->blocked -
                 t->cb_unreached);
    v[MET_ESC_HANDLED] = (double)t->esc_handled;
    v[MET_ESC_ABANDONED] = (double)t->esc_abandoned;
    v[MET_INTERRUPTED] = (double)t->interrupted;
    v[MET_TRANSFERRED] = (double)t->transferred;
    v[MET_RETRIALS] = (double)t->retrials;
    v[MET_REPEATS] = (double)t->repeats;
    v[MET_CB_OFFERED] = (double)t->cb_offered;
    v[MET_CB_ACCEPTED] = (double)t->cb_accepted;
    v[MET_CB_REACHED] = (double)t->cb_answered;
    v[MET_CB_UNREACHED] = (double)t->cb_unreached;
    v[MET_CB_WAIT] = ratio(t->cb_wait_s, (double)t->cb_answered);
    v[MET_PREVENTED] = (double)t->prevented;
    v[MET_INCIDENT_ISSUES] = (double)t->incident_issues;
    for (int k = MET_ISSUES; k < MET_N; k++)
        v[k] = (double)NAN; /* filled by the simulator for the scopes they belong to */
    for (int k = 0; k < MET_N; k++)
        if (!metric_applies(k, kind, 1) && !metric_applies(k, kind, 0)) v[k] = (double)NAN;
}

void model_shift_peaks(const struct model_spec *m, struct group_spec *gr)
{
    for (int i = 0; i < model_total_intervals(m); i++) {
        double lo = model_interval_clock_s(m, i), hi = lo + m->interval_s;
        int n = 0;
        for (int k = 0; k < gr->n_shifts; k++) {
            const struct shift_spec *sp = &gr->shifts[k];
            if (sp->start_s < hi && sp->start_s + sp->length_s > lo) n += sp->agents;
        }
        gr->agents[i] = n;
    }
}
