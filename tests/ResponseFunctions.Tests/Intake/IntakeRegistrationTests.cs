using System.Reflection;
using Microsoft.Azure.Functions.Worker;
using ResponseFunctions.Intake;

namespace ResponseFunctions.Tests.Intake;

public sealed class IntakeRegistrationTests
{
    [Fact]
    public void SentinelIntake_PostOnIntakeSentinel_RequiresAFunctionKey()
    {
        var trigger = typeof(SentinelIntake).GetMethod(nameof(SentinelIntake.Run))!.GetParameters()
            .Select(p => p.GetCustomAttribute<HttpTriggerAttribute>()).OfType<HttpTriggerAttribute>().Single();

        Assert.Equal(AuthorizationLevel.Function, trigger.AuthLevel);
        Assert.Equal("intake/sentinel", trigger.Route);
        Assert.Equal(["post"], trigger.Methods ?? []);
    }

    [Fact]
    public void PollIdentityProtection_IsATimerEveryFiveMinutes()
    {
        var method = typeof(PollIdentityProtection).GetMethod(nameof(PollIdentityProtection.Run))!;
        var timer = method.GetParameters().Select(p => p.GetCustomAttribute<TimerTriggerAttribute>()).OfType<TimerTriggerAttribute>().Single();

        Assert.Equal(PollIdentityProtection.Name, method.GetCustomAttribute<FunctionAttribute>()!.Name);
        Assert.Equal("0 */5 * * * *", timer.Schedule);
        Assert.False(timer.RunOnStartup);
    }
}
