using System.Reflection;
using Microsoft.Azure.Functions.Worker;

namespace InnovationZones.DevHost;

/// <summary>
/// The log scope of one invocation, with the keys the isolated worker puts on every log written during an
/// invocation (<c>AzureFunctions_InvocationId</c>, <c>AzureFunctions_FunctionName</c>), so that structured
/// logs carry the invocation id under the dev host as they do in Azure.
/// </summary>
internal sealed class InvocationScope(string functionName, Guid invocationId) : IReadOnlyList<KeyValuePair<string, object>>
{
    public const string InvocationIdKey = "AzureFunctions_InvocationId";
    public const string FunctionNameKey = "AzureFunctions_FunctionName";

    public int Count => 2;

    public KeyValuePair<string, object> this[int index] => index switch
    {
        0 => new(InvocationIdKey, invocationId.ToString()),
        1 => new(FunctionNameKey, functionName),
        _ => throw new ArgumentOutOfRangeException(nameof(index)),
    };

    public IEnumerator<KeyValuePair<string, object>> GetEnumerator()
    {
        yield return this[0];
        yield return this[1];
    }

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => $"{FunctionNameKey}:{functionName} {InvocationIdKey}:{invocationId}";
}

/// <summary>What one invocation offers to bind: the HTTP request or the timer, and the cancellation token.</summary>
internal sealed record InvocationContext(HttpContext? HttpContext, TimerInfo? Timer, CancellationToken CancellationToken);

/// <summary>
/// A function's method, found from <c>entryPoint</c> ("Namespace.Class.Method") in the assembly named by
/// <c>scriptFile</c>, with its parameters bound once at startup. Each invocation creates the class from the
/// invocation's services, as the worker does, and awaits what the method returns.
/// </summary>
internal sealed class FunctionInvoker
{
    private readonly Type type;
    private readonly MethodInfo method;
    private readonly Func<InvocationContext, object?>[] arguments;
    private readonly PropertyInfo? taskResult;
    private readonly MethodInfo? valueTaskAsTask;

    private FunctionInvoker(FunctionDefinition definition, Type type, MethodInfo method, Func<InvocationContext, object?>[] arguments)
    {
        Definition = definition;
        this.type = type;
        this.method = method;
        this.arguments = arguments;

        var returnType = method.ReturnType;
        if (returnType.IsGenericType && returnType.GetGenericTypeDefinition() == typeof(Task<>))
        {
            taskResult = returnType.GetProperty(nameof(Task<object>.Result));
            ResultType = returnType.GetGenericArguments()[0];
        }
        else if (returnType.IsGenericType && returnType.GetGenericTypeDefinition() == typeof(ValueTask<>))
        {
            valueTaskAsTask = returnType.GetMethod(nameof(ValueTask<object>.AsTask));
            taskResult = valueTaskAsTask!.ReturnType.GetProperty(nameof(Task<object>.Result));
            ResultType = returnType.GetGenericArguments()[0];
        }
        else if (returnType != typeof(Task) && returnType != typeof(ValueTask))
        {
            ResultType = returnType;
        }
        else
        {
            ResultType = typeof(void);
        }
    }

    public FunctionDefinition Definition { get; }

    public string Name => Definition.Name;

    /// <summary>What the method produces once awaited: <c>void</c> for void, Task and ValueTask.</summary>
    public Type ResultType { get; }

    /// <summary>
    /// Finds the method and binds each parameter with <paramref name="bind"/>; a parameter it cannot bind
    /// fails startup with a message that says which one and what the dev host binds instead.
    /// </summary>
    public static FunctionInvoker Create(
        FunctionDefinition definition,
        Func<ParameterInfo, Func<InvocationContext, object?>?> bind,
        string bindable)
    {
        var (type, method) = FindMethod(definition);
        var arguments = new List<Func<InvocationContext, object?>>();
        foreach (var parameter in method.GetParameters())
        {
            arguments.Add(bind(parameter) ?? throw new DevHostException(
                $"Function '{definition.Name}' ({definition.EntryPoint}): the dev host cannot bind parameter '{parameter.Name}' " +
                $"of type {parameter.ParameterType.Name}. It binds {bindable}."));
        }

        return new FunctionInvoker(definition, type, method, [.. arguments]);
    }

    /// <summary>Runs the function once: creates its class from <paramref name="services"/>, calls it, awaits it, returns its result.</summary>
    public async Task<object?> InvokeAsync(IServiceProvider services, InvocationContext context)
    {
        var values = new object?[arguments.Length];
        for (var i = 0; i < arguments.Length; i++)
        {
            values[i] = arguments[i](context);
        }

        var instance = method.IsStatic ? null : ActivatorUtilities.CreateInstance(services, type);
        try
        {
            var returned = method.Invoke(instance, BindingFlags.DoNotWrapExceptions, binder: null, values, culture: null);
            switch (returned)
            {
                case Task task when taskResult is null:
                    await task;
                    return null;
                case Task task:
                    await task;
                    return taskResult.GetValue(task);
                case ValueTask valueTask:
                    await valueTask;
                    return null;
                case not null when valueTaskAsTask is not null:
                    var asTask = (Task)valueTaskAsTask.Invoke(returned, null)!;
                    await asTask;
                    return taskResult!.GetValue(asTask);
                default:
                    return returned;
            }
        }
        finally
        {
            switch (instance)
            {
                case IAsyncDisposable asyncDisposable:
                    await asyncDisposable.DisposeAsync();
                    break;
                case IDisposable disposable:
                    disposable.Dispose();
                    break;
            }
        }
    }

    private static (Type Type, MethodInfo Method) FindMethod(FunctionDefinition definition)
    {
        var split = definition.EntryPoint.LastIndexOf('.');
        if (split <= 0 || split == definition.EntryPoint.Length - 1)
        {
            throw new DevHostException($"Function '{definition.Name}': entryPoint '{definition.EntryPoint}' is not 'Namespace.Class.Method'.");
        }

        var typeName = definition.EntryPoint[..split];
        var methodName = definition.EntryPoint[(split + 1)..];
        var assemblyName = Path.GetFileNameWithoutExtension(definition.ScriptFile);
        Assembly assembly;
        try
        {
            assembly = Assembly.Load(new AssemblyName(assemblyName));
        }
        catch (Exception e) when (e is FileNotFoundException or FileLoadException or BadImageFormatException)
        {
            throw new DevHostException(
                $"Function '{definition.Name}': cannot load assembly '{assemblyName}' (scriptFile '{definition.ScriptFile}'); the dev host must reference it.", e);
        }

        var type = assembly.GetType(typeName, throwOnError: false)
            ?? throw new DevHostException($"Function '{definition.Name}': there is no type '{typeName}' in {assemblyName}.");
        var candidates = type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static)
            .Where(m => m.Name == methodName)
            .ToList();
        return candidates.Count switch
        {
            1 when !candidates[0].ContainsGenericParameters && !(type.IsAbstract && !candidates[0].IsStatic) => (type, candidates[0]),
            1 => throw new DevHostException($"Function '{definition.Name}': {definition.EntryPoint} cannot be invoked (generic, or an instance method of an abstract class)."),
            0 => throw new DevHostException($"Function '{definition.Name}': {typeName} has no public method '{methodName}'."),
            _ => throw new DevHostException($"Function '{definition.Name}': {typeName} has {candidates.Count} public methods named '{methodName}'; a function's method must not be overloaded."),
        };
    }
}
