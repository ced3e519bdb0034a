import Testing

/// Everything that runs the install engine, one test at a time: a stop request (a real SIGTERM) reaches
/// the whole test process, and would stop any other install running beside it.
@Suite(.serialized) enum EngineSuites {}
