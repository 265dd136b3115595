"""The policy cycle: the committee, its meetings and decisions, priorities, strategic and operational
plans, progress reports, recommendations and their follow-up, and the cycle's evaluation."""
