using System.Net;
using System.Net.Sockets;

namespace RemateLive.Client.Tests.Integration;

/// <summary>
/// A loopback TCP forwarder between the client and the host: the network the tests can cut. <see cref="DropAll"/>
/// resets every connection mid-stream (like a proxy or NAT dying); <see cref="Refusing"/> makes new connections
/// fail (the server is unreachable); <see cref="Upstream"/> can point at a restarted host's new port.
/// </summary>
internal sealed class TcpProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Socket> _open = [];
    private readonly Task _accept;

    public TcpProxy(int upstream)
    {
        Upstream = upstream;
        _listener.Start();
        _accept = AcceptAsync();
    }

    public int Upstream { get; set; }

    public bool Refusing { get; set; }

    public Uri BaseAddress => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}");

    public int Drops { get; private set; }

    /// <summary>Resets every open connection (RST, no close handshake).</summary>
    public void DropAll()
    {
        lock (_open)
        {
            foreach (var s in _open)
            {
                Reset(s);
            }

            Drops += _open.Count;
            _open.Clear();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        DropAll();
        try
        {
            await _accept;
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _listener.AcceptSocketAsync(_stop.Token);
            if (Refusing)
            {
                Reset(client);
                continue;
            }

            _ = Task.Run(() => PipeAsync(client));
        }
    }

    private async Task PipeAsync(Socket client)
    {
        var server = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await server.ConnectAsync(IPAddress.Loopback, Upstream, _stop.Token);
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException)
        {
            Reset(client);
            server.Dispose();
            return;
        }

        lock (_open)
        {
            _open.Add(client);
            _open.Add(server);
        }

        await Task.WhenAny(CopyAsync(client, server), CopyAsync(server, client));
        lock (_open)
        {
            _open.Remove(client);
            _open.Remove(server);
        }

        Reset(client);
        Reset(server);
    }

    private static async Task CopyAsync(Socket from, Socket to)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                var n = await from.ReceiveAsync(buffer, SocketFlags.None);
                if (n == 0)
                {
                    return;
                }

                await to.SendAsync(buffer.AsMemory(0, n), SocketFlags.None);
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
        }
    }

    private static void Reset(Socket s)
    {
        try
        {
            s.LingerState = new LingerOption(true, 0);
            s.Close();
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
        }
    }
}
