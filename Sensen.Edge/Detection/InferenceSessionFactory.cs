using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.ML.OnnxRuntime;

namespace Sensen.Edge.Detection;

/// <summary>
/// Creates ONNX Runtime sessions on the first execution provider, in the configured order, that can be
/// appended, load the model and run a warm-up inference. A provider whose library cannot be appended is
/// logged once and not tried again; a model that contradicts its manifest is refused outright
/// (<see cref="ModelException"/>), whatever the provider.
/// </summary>
internal sealed class InferenceSessionFactory
{
    private readonly InferenceOptions _options;
    private readonly string _engineCacheDirectory;
    private readonly ILogger _logger;
    private readonly DetectionMetrics? _metrics;
    private readonly Dictionary<ExecutionProviderKind, string> _unavailable = [];
    private readonly Lock _gate = new();

    /// <param name="options">Providers, device, fp16, threads.</param>
    /// <param name="stateDirectory">The daemon's state directory; TensorRT engines are cached under it.</param>
    /// <param name="logger">Where fallbacks are reported.</param>
    /// <param name="metrics">Receives the provider each model runs on.</param>
    public InferenceSessionFactory(InferenceOptions options, string stateDirectory, ILogger? logger = null, DetectionMetrics? metrics = null)
    {
        _options = options;
        _engineCacheDirectory = Path.Combine(stateDirectory, "tensorrt-cache");
        _logger = logger ?? NullLogger.Instance;
        _metrics = metrics;

        // Before the first session: ONNX Runtime binds its native library on first use.
        OnnxRuntimeLibrary.Use(options.OnnxruntimeLibrary, _logger);
    }

    public string EngineCacheDirectory => _engineCacheDirectory;

    public ModelSession Create(ModelDescriptor model)
    {
        // ONNX Runtime's telemetry (the 1DS SDK) otherwise records a session file ('.ses') in TMPDIR: the daemon writes
        // no file outside its vault and state directory (issue 12), and sends nothing anywhere but the city.
        OrtEnv.Instance().DisableTelemetryEvents();
        var reasons = new List<string>();
        foreach (var kind in _options.Providers.Distinct())
        {
            if (kind == ExecutionProviderKind.Cpu && _options.RequireGpu)
            {
                continue;
            }

            lock (_gate)
            {
                if (_unavailable.TryGetValue(kind, out var known))
                {
                    reasons.Add($"{DetectionMetrics.ProviderName(kind)}: {known}");
                    continue;
                }
            }

            var sessionOptions = NewSessionOptions();
            try
            {
                try
                {
                    AppendProvider(sessionOptions, kind);
                }
                catch (Exception e) when (e is OnnxRuntimeException or EntryPointNotFoundException or DllNotFoundException or IOException or UnauthorizedAccessException)
                {
                    var reason = FirstLine(e.Message);
                    lock (_gate)
                    {
                        if (_unavailable.TryAdd(kind, reason))
                        {
                            DetectionLog.ProviderUnavailable(_logger, DetectionMetrics.ProviderName(kind), reason);
                        }
                    }

                    reasons.Add($"{DetectionMetrics.ProviderName(kind)}: {reason}");
                    continue;
                }

                var session = TryCreate(model, sessionOptions, kind, reasons);
                if (session is not null)
                {
                    _metrics?.ProviderSelected(model.Name, kind);
                    DetectionLog.SessionReady(_logger, model.Name, model.Manifest.Format.ToString(), model.Manifest.InputWidth, model.Manifest.InputHeight, DetectionMetrics.ProviderName(kind));
                    if (kind == ExecutionProviderKind.Cpu && _options.Providers.Any(p => p != ExecutionProviderKind.Cpu))
                    {
                        DetectionLog.CpuOnly(_logger, model.Name);
                    }

                    return session;
                }
            }
            finally
            {
                sessionOptions.Dispose();
            }
        }

        var what = _options.RequireGpu
            ? "require_gpu is true and no GPU execution provider could run it"
            : "no execution provider could run it";
        throw new ModelException($"model '{model.Name}' ({model.ModelPath}): {what}: {string.Join("; ", reasons)}");
    }

    private ModelSession? TryCreate(ModelDescriptor model, SessionOptions sessionOptions, ExecutionProviderKind kind, List<string> reasons)
    {
        InferenceSession session;
        try
        {
            session = new InferenceSession(model.ModelPath, sessionOptions);
        }
        catch (OnnxRuntimeException e) when (kind != ExecutionProviderKind.Cpu)
        {
            DetectionLog.WarmupFailed(_logger, model.Name, DetectionMetrics.ProviderName(kind), FirstLine(e.Message));
            reasons.Add($"{DetectionMetrics.ProviderName(kind)}: {FirstLine(e.Message)}");
            return null;
        }
        catch (OnnxRuntimeException e)
        {
            throw new ModelException($"model '{model.Name}': {model.ModelPath} is not a loadable ONNX model: {FirstLine(e.Message)}", e);
        }

        try
        {
            var (inputName, inputShape) = ModelShapes.CheckInput(model, session);
            IReadOnlyList<long[]> outputShapes;
            try
            {
                outputShapes = WarmUp(session, inputName, inputShape);
            }
            catch (OnnxRuntimeException e) when (kind != ExecutionProviderKind.Cpu)
            {
                DetectionLog.WarmupFailed(_logger, model.Name, DetectionMetrics.ProviderName(kind), FirstLine(e.Message));
                reasons.Add($"{DetectionMetrics.ProviderName(kind)} warm-up: {FirstLine(e.Message)}");
                session.Dispose();
                return null;
            }
            catch (OnnxRuntimeException e)
            {
                throw new ModelException($"model '{model.Name}': the warm-up inference failed: {FirstLine(e.Message)}", e);
            }

            var outputNames = session.OutputNames.ToList();
            ModelShapes.CheckOutputs(model, session, outputShapes);
            return new ModelSession(model, session, kind, inputName, inputShape, outputNames, outputShapes);
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    private static List<long[]> WarmUp(InferenceSession session, string inputName, long[] inputShape)
    {
        var input = new float[inputShape.Aggregate(1L, (a, b) => a * b)];
        using var value = OrtValue.CreateTensorValueFromMemory(input, inputShape);
        using var runOptions = new RunOptions();
        using var outputs = session.Run(runOptions, [inputName], [value], session.OutputNames);
        return outputs.Select(o => o.GetTensorTypeAndShape().Shape).ToList();
    }

    private SessionOptions NewSessionOptions()
    {
        var so = new SessionOptions
        {
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            IntraOpNumThreads = _options.IntraOpThreads,
            InterOpNumThreads = 1,
            LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR,
        };

        // A daemon at 10 fps per camera idles between frames; spinning worker threads would burn the CPU
        // that ingest and encoding need (onnxruntime_session_options_config_keys.h).
        so.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
        if (_options.RequireGpu)
        {
            // Without this, ORT silently assigns nodes the GPU provider cannot run to the CPU.
            so.AddSessionConfigEntry("session.disable_cpu_ep_fallback", "1");
        }

        return so;
    }

    private void AppendProvider(SessionOptions so, ExecutionProviderKind kind)
    {
        var device = _options.DeviceId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        switch (kind)
        {
            case ExecutionProviderKind.Tensorrt:
            {
                Directory.CreateDirectory(_engineCacheDirectory);
                using var trt = new OrtTensorRTProviderOptions();
                trt.UpdateOptions(new Dictionary<string, string>
                {
                    ["device_id"] = device,
                    ["trt_fp16_enable"] = _options.Fp16 ? "1" : "0",
                    ["trt_engine_cache_enable"] = "1",
                    ["trt_engine_cache_path"] = _engineCacheDirectory,
                    ["trt_timing_cache_enable"] = "1",
                    ["trt_timing_cache_path"] = _engineCacheDirectory,
                });
                so.AppendExecutionProvider_Tensorrt(trt);

                // Nodes TensorRT cannot take go to CUDA rather than the CPU.
                AppendCuda(so, device);
                break;
            }

            case ExecutionProviderKind.Cuda:
                AppendCuda(so, device);
                break;

            default:
                break;
        }
    }

    private static void AppendCuda(SessionOptions so, string device)
    {
        using var cuda = new OrtCUDAProviderOptions();
        cuda.UpdateOptions(new Dictionary<string, string>
        {
            ["device_id"] = device,
            ["cudnn_conv_algo_search"] = "HEURISTIC",
        });
        so.AppendExecutionProvider_CUDA(cuda);
    }

    private static string FirstLine(string message)
    {
        var line = message.Split('\n', 2)[0].Trim();
        return line.Length > 300 ? line[..300] + "…" : line;
    }
}
