namespace Sensen.Edge.Demo;

/// <summary>A violation the scene was made to contain.</summary>
/// <param name="RuleId">The rule's id in the generated configuration.</param>
/// <param name="RuleType">The rule's <c>type</c> (<c>bus_lane</c>, <c>no_stopping</c>).</param>
/// <param name="ObjectId">The offender.</param>
/// <param name="StartSeconds">When the offence began in the scene (entered the lane, came to rest, crossed the stop line on red).</param>
/// <param name="DecidedSeconds">When the rule can first decide: <see cref="StartSeconds"/> plus the rule's dwell.</param>
internal sealed record ExpectedViolation(string RuleId, string RuleType, string ObjectId, double StartSeconds, double DecidedSeconds);
