export type BalancerStrategy = 'weighted' | 'least-latency' | 'least-busy';

export interface BalancerMember {
  id: string;
  /** Relative share of traffic (default 1); also breaks ties for the other strategies. */
  weight?: number;
}

export interface BalancerOptions {
  /** Weight of the newest latency sample in the moving average (default 0.3). */
  alpha?: number;
  /** Share of least-latency picks spent on a member other than the fastest (default 0.05). */
  explore?: number;
  /** Latency a failed call counts as, at least (default 10 s), so a fast-failing member looks slow. */
  failurePenaltyMs?: number;
  /** Members it says no to are skipped: typically `(id) => breakers.available(id)`. */
  isAvailable?: (id: string) => boolean;
  random?: () => number;
}

export interface MemberStats {
  id: string;
  weight: number;
  inFlight: number;
  /** Exponentially weighted moving average of latency; null until first measured. */
  latencyMs: number | null;
}

interface Member {
  id: string;
  index: number;
  weight: number;
  /** Smooth weighted round-robin's running score. */
  current: number;
  inFlight: number;
  ewma: number | null;
}

/**
 * Spreads requests over interchangeable deployments (several Azure deployments and OpenAI
 * itself, or several keys of one provider). Each pick only considers members that are
 * available and not excluded, so a retry can fail over to a member it has not tried yet.
 */
export class Balancer {
  private readonly members: Member[];
  private readonly byId = new Map<string, Member>();
  private readonly alpha: number;
  private readonly explore: number;
  private readonly failurePenaltyMs: number;
  private readonly isAvailable: (id: string) => boolean;
  private readonly random: () => number;
  private readonly strategy: BalancerStrategy;
  private cursor = 0;

  constructor(strategy: BalancerStrategy, members: readonly BalancerMember[], options: BalancerOptions = {}) {
    this.strategy = strategy;
    this.members = members.map((member, index) => toMember(member, index));
    for (const member of this.members) {
      if (this.byId.has(member.id)) throw new Error(`balancer member "${member.id}" is listed twice`);
      this.byId.set(member.id, member);
    }
    this.alpha = options.alpha ?? 0.3;
    this.explore = options.explore ?? 0.05;
    this.failurePenaltyMs = options.failurePenaltyMs ?? 10_000;
    this.isAvailable = options.isAvailable ?? (() => true);
    this.random = options.random ?? Math.random;
  }

  /** The member to send to, or null when every member is excluded or unavailable. */
  pick(exclude?: ReadonlySet<string>): string | null {
    const eligible = this.members.filter((m) => !exclude?.has(m.id) && this.isAvailable(m.id));
    if (eligible.length === 0) return null;
    if (this.strategy === 'weighted') return this.smoothWeighted(eligible).id;
    if (this.strategy === 'least-busy') return this.leastBusy(eligible).id;
    return this.leastLatency(eligible).id;
  }

  /** Whether pick() would find a member, without moving any rotation along. */
  hasEligible(exclude?: ReadonlySet<string>): boolean {
    return this.members.some((m) => !exclude?.has(m.id) && this.isAvailable(m.id));
  }

  started(id: string): void {
    const member = this.byId.get(id);
    if (member) member.inFlight++;
  }

  /**
   * A call to `id` is over. Without an outcome (the caller abandoned it) nothing is learnt about
   * latency. Which latency to report is the caller's choice: time to first byte suits LLM calls,
   * whose total time grows with the length of the answer.
   */
  finished(id: string, outcome?: { latencyMs: number; ok: boolean }): void {
    const member = this.byId.get(id);
    if (!member) return;
    member.inFlight = Math.max(0, member.inFlight - 1);
    if (!outcome) return;
    const sample = outcome.ok ? outcome.latencyMs : Math.max(outcome.latencyMs, this.failurePenaltyMs);
    member.ewma = member.ewma === null ? sample : this.alpha * sample + (1 - this.alpha) * member.ewma;
  }

  stats(): MemberStats[] {
    return this.members.map(({ id, weight, inFlight, ewma }) => ({ id, weight, inFlight, latencyMs: ewma }));
  }

  /** nginx's smooth weighted round-robin: deterministic, and spreads a heavy member's turns out. */
  private smoothWeighted(eligible: Member[]): Member {
    let total = 0;
    let best = eligible[0] as Member;
    for (const member of eligible) {
      member.current += member.weight;
      total += member.weight;
      if (member.current > best.current) best = member;
    }
    best.current -= total;
    return best;
  }

  private leastBusy(eligible: Member[]): Member {
    return this.breakTie(lowest(eligible, (m) => m.inFlight));
  }

  private leastLatency(eligible: Member[]): Member {
    const unmeasured = eligible.filter((m) => m.ewma === null);
    if (unmeasured.length > 0) return this.roundRobin(unmeasured);
    const fastest = this.breakTie(lowest(eligible, (m) => m.ewma ?? 0));
    // Without exploring, a member that was slow once is never measured again, even after it recovers.
    if (eligible.length > 1 && this.random() < this.explore) {
      const others = eligible.filter((m) => m !== fastest);
      return others[Math.floor(this.random() * others.length)] ?? fastest;
    }
    return fastest;
  }

  private breakTie(tied: Member[]): Member {
    return this.roundRobin(lowest(tied, (m) => -m.weight));
  }

  private roundRobin(tied: Member[]): Member {
    const next = tied.find((m) => m.index >= this.cursor) ?? (tied[0] as Member);
    this.cursor = next.index + 1;
    return next;
  }
}

function toMember({ id, weight = 1 }: BalancerMember, index: number): Member {
  if (!(weight > 0 && Number.isFinite(weight))) {
    throw new Error(`balancer member "${id}" needs a positive weight, not ${weight}`);
  }
  return { id, index, weight, current: 0, inFlight: 0, ewma: null };
}

function lowest(members: Member[], score: (member: Member) => number): Member[] {
  const best = Math.min(...members.map(score));
  return members.filter((m) => score(m) === best);
}
