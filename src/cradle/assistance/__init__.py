"""计划生育家庭扶助: the yearly 奖励扶助/特别扶助 cycle of a county and the special families' 三个全覆盖."""
